from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

# The sections a new specification starts with; admins may add more.
STANDARD_SECTIONS = (
    "Base vehicle and chassis",
    "Conversion and body",
    "Stretcher and loading",
    "Electrical and lighting",
    "Medical gases",
    "Communications and IT",
    "Livery and markings",
)


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class SpecificationVersion(models.Model):
    """One version of a round's common specification. Programme admins edit a draft;
    publishing freezes it. A change after that is a new draft copied from the latest version."""

    round = models.ForeignKey(
        "procurement.ProcurementRound", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    change_summary = models.TextField(
        blank=True, help_text="What changed since the previous version, and why."
    )
    created_by = models.ForeignKey("collab.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        "collab.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="one_version_number_each"),
            # One draft at a time: two admins editing two drafts would lose one's work.
            models.UniqueConstraint(
                fields=["round"], condition=Q(status="draft"), name="one_draft_version_each"
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


class SpecificationSection(models.Model):
    version = models.ForeignKey(
        SpecificationVersion, on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "title"], name="one_section_title_each"),
        ]

    def __str__(self) -> str:
        return self.title


class ItemKind(models.TextChoices):
    MANDATORY = "mandatory", "Mandatory"
    OPTIONAL = "optional", "Optional"


class LineItem(models.Model):
    """One requirement of the specification. Its reference (for example "EL-04") identifies it
    across versions: the diff, trusts' optional choices and variations all key on it."""

    version = models.ForeignKey(
        SpecificationVersion, on_delete=models.CASCADE, related_name="line_items"
    )
    section = models.ForeignKey(
        SpecificationSection, on_delete=models.CASCADE, related_name="line_items"
    )
    reference = models.CharField(max_length=20)
    requirement = models.TextField()
    kind = models.CharField(max_length=20, choices=ItemKind.choices, default=ItemKind.MANDATORY)
    unit = models.CharField(
        max_length=40, default="each", help_text="For example: each, set, metre."
    )
    quantity_per_vehicle = models.DecimalField(
        max_digits=8, decimal_places=2, default=1, validators=[MinValueValidator(Decimal("0"))]
    )
    estimated_unit_cost = models.DecimalField(
        "Estimated unit cost (£)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["section__position", "position", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "reference"], name="one_reference_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.requirement[:60]}"

    @property
    def is_optional(self) -> bool:
        return self.kind == ItemKind.OPTIONAL

    @property
    def cost_per_vehicle(self) -> Decimal:
        return self.quantity_per_vehicle * self.estimated_unit_cost
