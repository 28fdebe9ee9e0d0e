import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class ParticipationStatus(models.TextChoices):
    UNDECIDED = "undecided", "Undecided"
    OPTED_IN = "opted_in", "Opted in"
    OPTED_OUT = "opted_out", "Opted out"
    # Once the project is active:
    COMMITTED = "committed", "Committed"
    NOT_JOINED = "not_joined", "Did not join"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Participation(models.Model):
    """One trust's place in one project: its decision, contact, weight and share of the cost."""

    project = models.ForeignKey(
        "projects.JointProject", on_delete=models.CASCADE, related_name="participations"
    )
    trust = models.ForeignKey(
        "collab.Trust", on_delete=models.PROTECT, related_name="participations"
    )
    status = models.CharField(
        max_length=20, choices=ParticipationStatus.choices, default=ParticipationStatus.UNDECIDED
    )
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        "collab.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    contact = models.ForeignKey(
        "collab.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_contact_for",
        help_text="The trust's contact for this project.",
    )
    funding_weight = models.DecimalField(max_digits=8, decimal_places=2, default=1)
    # Computed from the funding model when the project starts, and again after each approved
    # withdrawal or late join.
    cost_share = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["trust__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "trust"], name="one_participation_each"),
        ]
        indexes = [
            # "Decisions waiting for my trust": a trust's participations by status.
            models.Index(fields=["trust", "status"], name="participation_trust_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.trust.short_name} in {self.project}"

    @property
    def is_committed(self) -> bool:
        return self.status == ParticipationStatus.COMMITTED


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class ParticipationRequest(models.Model):
    """A trust asking the programme admins to change its place in an active project."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participation = models.ForeignKey(Participation, on_delete=models.CASCADE)
    reason = models.TextField()
    requested_by = models.ForeignKey("collab.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        "collab.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    # Trust short name -> {"before": "...", "after": "..."}: what an approval did to each
    # trust's cost share, so every remaining trust can see what changed for it.
    share_changes = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["-requested_at"]

    @property
    def is_pending(self) -> bool:
        return self.status == RequestStatus.PENDING


class WithdrawalRequest(ParticipationRequest):
    """A committed trust asking to leave: it cannot simply opt out once the project is active."""

    impact = models.TextField(help_text="What leaving means for the project and other trusts.")

    class Meta(ParticipationRequest.Meta):
        default_related_name = "withdrawal_requests"
        constraints = [
            # One open request at a time per trust and project.
            models.UniqueConstraint(
                fields=["participation"],
                condition=Q(status="pending"),
                name="one_pending_withdrawal_each",
            ),
        ]

    def __str__(self) -> str:
        trust = self.participation.trust.short_name
        return f"{trust} asks to withdraw from {self.participation.project}"

    def get_decide_url(self) -> str:
        return reverse("projects:withdrawal_decide", kwargs={"request_id": self.public_id})


class LateJoinRequest(ParticipationRequest):
    """A trust that did not join asking to join an active project."""

    contact = models.ForeignKey(
        "collab.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(ParticipationRequest.Meta):
        default_related_name = "late_join_requests"
        constraints = [
            models.UniqueConstraint(
                fields=["participation"],
                condition=Q(status="pending"),
                name="one_pending_late_join_each",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participation.trust.short_name} asks to join {self.participation.project}"

    def get_decide_url(self) -> str:
        return reverse("projects:late_join_decide", kwargs={"request_id": self.public_id})
