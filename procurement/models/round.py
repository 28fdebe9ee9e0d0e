from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "Draft"  # no specification published yet: trusts cannot enter demand
    OPEN = "open", "Open for demand"
    CLOSED = "closed", "Closed"  # after the closing date: changes are requests the admins decide


class ProcurementRound(models.Model):
    """One joint purchase against a common specification, run inside a joint project in the
    vehicles-and-procurement category. Its participants are the project's committed trusts."""

    slug = models.SlugField(max_length=80, unique=True)
    project = models.ForeignKey(
        "projects.JointProject", on_delete=models.PROTECT, related_name="procurement_rounds"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(
        help_text="What is being bought together, and the standards it builds on."
    )
    status = models.CharField(max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    closing_date = models.DateField(
        help_text="The last day each trust can confirm its final order."
    )
    first_delivery_year = models.PositiveIntegerField(
        help_text="The financial year the first vehicles are delivered in, for example 2027."
    )
    delivery_years = models.PositiveSmallIntegerField(
        default=3, help_text="How many years of deliveries the round covers."
    )
    created_by = models.ForeignKey("collab.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(delivery_years__gte=1) & Q(delivery_years__lte=10),
                name="round_delivery_years_1_to_10",
            ),
        ]
        indexes = [
            # The closing-date reminder sweep: open rounds by closing date.
            models.Index(fields=["status", "closing_date"], name="round_status_closing_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("procurement:round", kwargs={"round_slug": self.slug})

    @property
    def years(self) -> list[int]:
        return list(range(self.first_delivery_year, self.first_delivery_year + self.delivery_years))

    def is_past_closing(self, today=None) -> bool:
        return (today or timezone.localdate()) > self.closing_date
