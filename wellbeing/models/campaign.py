import datetime
import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Campaign(models.Model):
    """A question put to frontline staff, e.g. #ProjectA's "How can we best protect the
    wellbeing of ambulance staff?". Run for one collaboration, or nationally (no collaboration)."""

    slug = models.SlugField(max_length=80, unique=True)
    collaboration = models.ForeignKey(
        "collab.Collaboration",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        help_text="Empty for a national campaign, open to staff of every trust.",
    )
    title = models.CharField(max_length=150)
    question = models.CharField(max_length=300, help_text="The question staff are asked.")
    description = models.TextField(blank=True)
    opens_on = models.DateField()
    closes_on = models.DateField(help_text="The last day ideas can be submitted.")
    # Votes and comments may carry on after ideas close; empty means they stay open.
    discussion_closes_on = models.DateField(null=True, blank=True)
    live_event_at = models.DateTimeField(null=True, blank=True)
    live_event_minutes = models.PositiveSmallIntegerField(default=60)
    live_event_details = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey("collab.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Ideas sent in (every status but draft): kept in the same transaction as each submission
    # (wellbeing.services.ideas.idea_save), so the idea list's "26,959 ideas" and its page count
    # are read here rather than counted over every idea of a national campaign on each request.
    idea_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="campaign_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(discussion_closes_on__isnull=True)
                | Q(discussion_closes_on__gte=models.F("closes_on")),
                name="campaign_discussion_closes_after_ideas",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("wellbeing:campaign", kwargs={"campaign_slug": self.slug})

    @property
    def is_national(self) -> bool:
        return self.collaboration_id is None

    def accepts_ideas(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    def accepts_votes_and_comments(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today and (
            self.discussion_closes_on is None or today <= self.discussion_closes_on
        )


class Theme(models.Model):
    """A group of ideas within a campaign, e.g. "Talking about mental health"."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="one_theme_name_per_campaign")
        ]

    def __str__(self) -> str:
        return self.name
