import uuid

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class RequirementStatus(models.TextChoices):
    DRAFT = "draft", "Not confirmed"
    CONFIRMED = "confirmed", "Confirmed"  # binding: later changes are requests the admins decide


class TrustRequirement(models.Model):
    """One committed trust's order in a round: units per delivery year, the optional items it
    wants, and the specification version it was made against."""

    round = models.ForeignKey(
        "procurement.ProcurementRound", on_delete=models.CASCADE, related_name="requirements"
    )
    trust = models.ForeignKey("collab.Trust", on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(
        "procurement.SpecificationVersion",
        on_delete=models.PROTECT,
        related_name="requirements",
        help_text="The specification version this requirement was made against.",
    )
    # References of the optional line items the trust wants, e.g. ["EL-07", "CM-03"].
    optional_references = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=20, choices=RequirementStatus.choices, default=RequirementStatus.DRAFT
    )
    updated_by = models.ForeignKey(
        "collab.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        "collab.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["trust__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "trust"], name="one_requirement_per_trust"),
        ]

    def __str__(self) -> str:
        return f"{self.trust.short_name}'s requirement for {self.round}"

    def get_absolute_url(self) -> str:
        return reverse(
            "procurement:requirement",
            kwargs={"round_slug": self.round.slug, "trust_slug": self.trust.slug},
        )

    @property
    def is_confirmed(self) -> bool:
        return self.status == RequirementStatus.CONFIRMED


class YearQuantity(models.Model):
    """Units a trust orders for delivery in one year."""

    requirement = models.ForeignKey(
        TrustRequirement, on_delete=models.CASCADE, related_name="quantities"
    )
    year = models.PositiveIntegerField()
    units = models.PositiveIntegerField(validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["requirement", "year"], name="one_quantity_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.units} in {self.year}"


class DecisionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn by the trust"


class VariationRequest(models.Model):
    """A trust asking to depart from one line item: what it wants instead, why, and what it
    costs per vehicle. Programme admins approve or reject it with a reason."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requirement = models.ForeignKey(
        TrustRequirement, on_delete=models.CASCADE, related_name="variations"
    )
    reference = models.CharField(max_length=20)
    version = models.ForeignKey(
        "procurement.SpecificationVersion",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The specification version the variation was asked against.",
    )
    instead = models.TextField("What your trust wants instead")
    reason = models.TextField("Why")
    cost_difference_per_vehicle = models.DecimalField(
        "Cost difference per vehicle (£)",
        max_digits=12,
        decimal_places=2,
        help_text="Negative when the variation costs less than the common specification.",
    )
    status = models.CharField(
        max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.PENDING
    )
    requested_by = models.ForeignKey("collab.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        "collab.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["reference", "-requested_at"]
        constraints = [
            # One live variation per trust and line item: pending or approved.
            models.UniqueConstraint(
                fields=["requirement", "reference"],
                condition=Q(status__in=["pending", "approved"]),
                name="one_live_variation_per_item",
            ),
        ]
        indexes = [
            # The admins' queue of variations waiting in a round.
            models.Index(fields=["status", "requested_at"], name="variation_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.requirement.trust.short_name} asks to vary {self.reference}"

    def get_decide_url(self) -> str:
        return reverse(
            "procurement:variation_decide",
            kwargs={"round_slug": self.requirement.round.slug, "request_id": self.public_id},
        )

    @property
    def is_pending(self) -> bool:
        return self.status == DecisionStatus.PENDING


class RequirementChangeRequest(models.Model):
    """After a trust has confirmed its order, a change to it is asked for, not made: the
    programme admins approve (and the change is applied) or reject it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requirement = models.ForeignKey(
        TrustRequirement, on_delete=models.CASCADE, related_name="change_requests"
    )
    # Year (as text) -> units, and the optional references, as the trust wants them to be.
    quantities = models.JSONField(default=dict)
    optional_references = models.JSONField(default=list, blank=True)
    reason = models.TextField()
    status = models.CharField(
        max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.PENDING
    )
    requested_by = models.ForeignKey("collab.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        "collab.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["requirement"],
                condition=Q(status="pending"),
                name="one_pending_change_per_requirement",
            ),
        ]

    def __str__(self) -> str:
        trust = self.requirement.trust.short_name
        return f"{trust} asks to change its order in {self.requirement.round}"

    def get_decide_url(self) -> str:
        return reverse(
            "procurement:change_decide",
            kwargs={"round_slug": self.requirement.round.slug, "request_id": self.public_id},
        )

    @property
    def is_pending(self) -> bool:
        return self.status == DecisionStatus.PENDING
