import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

# Amber starts this many days before the due date.
AMBER_WINDOW_DAYS = 14


class CommitmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    BLOCKED = "blocked", "Blocked"
    DONE = "done", "Done, waiting for acceptance"
    ACCEPTED = "accepted", "Accepted"
    WITHDRAWN = "withdrawn", "Withdrawn"


# What a trust may set; acceptance and withdrawal are decided by the programme admins.
TRUST_SETTABLE_STATUSES = (
    CommitmentStatus.NOT_STARTED,
    CommitmentStatus.IN_PROGRESS,
    CommitmentStatus.BLOCKED,
    CommitmentStatus.DONE,
)
DELIVERED_STATUSES = (CommitmentStatus.DONE, CommitmentStatus.ACCEPTED)
CLOSED_STATUSES = (CommitmentStatus.ACCEPTED, CommitmentStatus.WITHDRAWN)


class Rag(models.TextChoices):
    """Red, amber or green: computed from the due date and status, never typed in."""

    RED = "red", "Red: overdue"
    AMBER = "amber", "Amber: due soon or blocked"
    GREEN = "green", "Green: on track"
    NONE = "none", "Withdrawn"


def rag_for(status: str, due_on: datetime.date, today: datetime.date) -> Rag:
    """The RAG rule. `projects.selectors.rag_expression` is the same rule in SQL."""
    if status == CommitmentStatus.WITHDRAWN:
        return Rag.NONE
    if status in DELIVERED_STATUSES:
        return Rag.GREEN
    if due_on < today:
        return Rag.RED
    if status == CommitmentStatus.BLOCKED or due_on <= today + datetime.timedelta(
        days=AMBER_WINDOW_DAYS
    ):
        return Rag.AMBER
    return Rag.GREEN


class Commitment(models.Model):
    """What one committed trust owes for one milestone."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participation = models.ForeignKey(
        "projects.Participation", on_delete=models.CASCADE, related_name="commitments"
    )
    milestone = models.ForeignKey(
        "projects.Milestone", on_delete=models.PROTECT, related_name="commitments"
    )
    deliverable = models.TextField()
    due_on = models.DateField()
    owner = models.ForeignKey(
        "collab.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments_owned",
    )
    status = models.CharField(
        max_length=20, choices=CommitmentStatus.choices, default=CommitmentStatus.NOT_STARTED
    )
    updated_at = models.DateTimeField(default=timezone.now)
    accepted_by = models.ForeignKey(
        "collab.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "milestone"], name="one_commitment_per_milestone"
            ),
        ]
        indexes = [
            # Reminder sweeps and "what is late": open commitments by due date.
            models.Index(fields=["status", "due_on"], name="commitment_status_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.participation.trust.short_name}: {self.milestone.title}"

    def get_absolute_url(self) -> str:
        return reverse("projects:commitment", kwargs={"commitment_id": self.public_id})

    def rag(self, today: datetime.date | None = None) -> Rag:
        return rag_for(self.status, self.due_on, today or timezone.localdate())

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.rag(today) == Rag.RED

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


def validate_evidence_size(file) -> None:
    limit = settings.PORTAL_EVIDENCE_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            f"The file is {file.size / 1_048_576:.1f} MB; evidence can be up to "
            f"{limit / 1_048_576:.0f} MB. Attach a smaller file or a link in the note."
        )


def evidence_path(update: "CommitmentUpdate", filename: str) -> str:
    # A fresh folder per file: names never collide and never reveal another upload's name.
    return f"evidence/{update.commitment.participation.project_id}/{uuid.uuid4()}/{filename}"


class CommitmentUpdate(models.Model):
    """A note on a commitment's progress, with the status change and optional evidence."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey("collab.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    status_before = models.CharField(max_length=20, choices=CommitmentStatus.choices)
    status_after = models.CharField(max_length=20, choices=CommitmentStatus.choices)
    note = models.TextField(blank=True)
    evidence = models.FileField(
        upload_to=evidence_path,
        max_length=300,
        blank=True,
        validators=[
            FileExtensionValidator(settings.PORTAL_EVIDENCE_EXTENSIONS),
            validate_evidence_size,
        ],
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Update on {self.commitment} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def evidence_name(self) -> str:
        return self.evidence.name.rsplit("/", 1)[-1] if self.evidence else ""
