from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone


class BenefitKind(models.TextChoices):
    EXPECTED = "expected", "Expected"
    REALISED = "realised", "Realised"


class Benefit(models.Model):
    """What a project is expected to give, or has given, one trust."""

    project = models.ForeignKey(
        "projects.JointProject", on_delete=models.CASCADE, related_name="benefits"
    )
    trust = models.ForeignKey("collab.Trust", on_delete=models.PROTECT, related_name="benefits")
    kind = models.CharField(max_length=20, choices=BenefitKind.choices)
    staff_hours_released = models.DecimalField(
        max_digits=10, decimal_places=1, default=0, validators=[MinValueValidator(Decimal("0"))]
    )
    money_saved = models.DecimalField(
        "Money saved (£)",
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(Decimal("0"))],
    )
    measure = models.CharField(
        "Other measure",
        max_length=300,
        blank=True,
        help_text="For example: 12% fewer conveyances for falls.",
    )
    recorded_by = models.ForeignKey("collab.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["trust__name", "kind"]
        constraints = [
            # One expected and one realised figure per trust and project; updates replace them.
            models.UniqueConstraint(
                fields=["project", "trust", "kind"], name="one_benefit_per_kind_each"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} benefit of {self.project} for {self.trust.short_name}"
