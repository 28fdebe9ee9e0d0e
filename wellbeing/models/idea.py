import uuid

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

TITLE_MAX = 120
PROBLEM_MAX = 1500
PROPOSAL_MAX = 2500


class IdeaStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    UNDER_REVIEW = "under_review", "Under review"
    SHORTLISTED = "shortlisted", "Shortlisted"
    ADOPTED = "adopted", "Adopted"
    NOT_TAKEN_FORWARD = "not_taken_forward", "Not taken forward"
    MERGED = "merged", "Merged into another idea"


# Ideas everyone in the campaign can see (a draft is its author's alone).
PUBLISHED_STATUSES = [s for s in IdeaStatus.values if s != IdeaStatus.DRAFT]
# Ideas that still take votes and comments.
OPEN_STATUSES = [
    IdeaStatus.SUBMITTED,
    IdeaStatus.UNDER_REVIEW,
    IdeaStatus.SHORTLISTED,
    IdeaStatus.ADOPTED,
]


class Idea(models.Model):
    """An improvement idea from a member of staff, in answer to a campaign's question."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(
        "wellbeing.Campaign", on_delete=models.PROTECT, related_name="ideas"
    )
    author = models.ForeignKey("collab.User", on_delete=models.PROTECT, related_name="ideas")
    # The author's trust when they submitted: participation by trust stays true if they move.
    trust = models.ForeignKey("collab.Trust", on_delete=models.PROTECT, related_name="ideas")
    # Blank only while a draft: submitting needs all three (wellbeing.services.ideas).
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    problem = models.TextField(max_length=PROBLEM_MAX, blank=True)
    proposal = models.TextField(max_length=PROPOSAL_MAX, blank=True)
    suggested_theme = models.ForeignKey(
        "wellbeing.Theme", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The theme the programme admins file it under; the author's suggestion until they do.
    theme = models.ForeignKey(
        "wellbeing.Theme", on_delete=models.SET_NULL, null=True, blank=True, related_name="ideas"
    )
    show_author_name = models.BooleanField(default=True)
    status = models.CharField(max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.DRAFT)
    status_reason = models.TextField(blank=True, help_text="Shown to everyone with the status.")
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_ideas"
    )
    project = models.OneToOneField(
        "projects.JointProject",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="idea",
        help_text="The joint project this idea became.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # Kept in the same transaction as each vote and comment, so lists sort without counting.
    vote_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            # The idea list sorted by votes, newest or most discussed, within a campaign.
            models.Index(
                fields=["campaign", "-vote_count", "-id"],
                condition=~Q(status="draft"),
                name="idea_campaign_votes_idx",
            ),
            models.Index(
                fields=["campaign", "-submitted_at"],
                condition=~Q(status="draft"),
                name="idea_campaign_newest_idx",
            ),
            # An author's own ideas and drafts.
            models.Index(fields=["author", "status"], name="idea_author_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("wellbeing:idea", kwargs={"idea_id": self.public_id})

    @property
    def is_draft(self) -> bool:
        return self.status == IdeaStatus.DRAFT

    @property
    def takes_votes(self) -> bool:
        return self.status in OPEN_STATUSES


class Vote(models.Model):
    """One person's vote for one idea: they can take it back."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    person = models.ForeignKey("collab.User", on_delete=models.CASCADE, related_name="+")
    trust = models.ForeignKey(
        "collab.Trust", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "person"], name="one_vote_per_person")
        ]
        indexes = [
            # "Trending": votes in the last 7 days, per idea.
            models.Index(fields=["created_at", "idea"], name="vote_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"Vote by {self.person_id} for {self.idea_id}"


class Follow(models.Model):
    """Someone who hears of an idea's status changes and new comments."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    person = models.ForeignKey("collab.User", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "person"], name="one_follow_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} follows {self.idea_id}"


def attachment_path(attachment: "IdeaAttachment", filename: str) -> str:
    return f"ideas/{attachment.idea.public_id}/{uuid.uuid4()}/{filename}"


class IdeaAttachment(models.Model):
    """An image or PDF that shows the problem or the idea."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        upload_to=attachment_path,
        validators=[FileExtensionValidator(settings.PORTAL_IDEA_ATTACHMENT_EXTENSIONS)],
    )
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name
