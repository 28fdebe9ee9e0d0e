import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Category(models.TextChoices):
    AI_AND_DIGITAL = "ai_digital", "AI and digital"
    VEHICLES_AND_PROCUREMENT = "vehicles_procurement", "Vehicles and procurement"
    TRAINING = "training", "Training"
    WORKFORCE_AND_WELLBEING = "workforce_wellbeing", "Workforce and wellbeing"
    OPERATING_MODEL = "operating_model", "Operating model"
    INTEROPERABILITY = "interoperability", "Interoperability"


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open for decisions"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    CLOSED = "closed", "Closed"


class FundingModel(models.TextChoices):
    EQUAL_SPLIT = "equal", "Equal split between the trusts that join"
    WEIGHTED = "weighted", "Weighted by a per-trust weight"
    LEAD_TRUST_FUNDED = "lead_trust", "Funded by the lead trust"


class JointProject(models.Model):
    """A project that the trusts of one collaboration opt in or out of, and once in, deliver."""

    slug = models.SlugField(max_length=80, unique=True)
    collaboration = models.ForeignKey(
        "collab.Collaboration", on_delete=models.PROTECT, related_name="projects"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField()
    category = models.CharField(max_length=30, choices=Category.choices)
    lead_trust = models.ForeignKey(
        "collab.Trust", on_delete=models.PROTECT, related_name="led_projects"
    )
    status = models.CharField(
        max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT
    )

    # The commitment terms: in words, and in figures.
    terms = models.TextField(
        "What joining means",
        help_text="In plain words: what each trust that joins agrees to do and to pay.",
    )
    funding_model = models.CharField(max_length=20, choices=FundingModel.choices)
    total_budget = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    staff_days_per_trust = models.PositiveIntegerField("Staff days asked of each trust", default=0)
    # Trust pk (as text) -> weight, for the weighted funding model. Copied to each participation
    # when the project opens, so the weights in force are on the rows that use them.
    funding_weights = models.JSONField(default=dict, blank=True)

    decision_deadline = models.DateField(help_text="The last day a trust lead can decide.")
    planned_start = models.DateField()
    planned_end = models.DateField()

    created_by = models.ForeignKey(
        "collab.User", on_delete=models.PROTECT, related_name="projects_created"
    )
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")),
                name="project_ends_after_it_starts",
            ),
        ]
        indexes = [
            # The deadline sweep: open projects whose decision deadline has passed.
            models.Index(fields=["status", "decision_deadline"], name="project_deadline_idx"),
            # The project list of a collaboration, filtered by status.
            models.Index(fields=["collaboration", "status"], name="project_collab_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", kwargs={"project_slug": self.slug})

    def clean(self) -> None:
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = "The planned end must be on or after the planned start."
        if (
            self.decision_deadline
            and self.planned_start
            and self.decision_deadline > self.planned_start
        ):
            errors["decision_deadline"] = (
                "The decision deadline must be on or before the planned start."
            )
        if errors:
            raise ValidationError(errors)

    def is_open_for_decisions(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == ProjectStatus.OPEN and today <= self.decision_deadline

    @property
    def is_finished(self) -> bool:
        return self.status in (ProjectStatus.COMPLETED, ProjectStatus.CLOSED)

    def weight_for(self, trust_id: int) -> Decimal:
        return Decimal(str(self.funding_weights.get(str(trust_id), 1)))


class Milestone(models.Model):
    """A point in the project by which every committed trust delivers something."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(JointProject, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    deliverable = models.TextField(
        "What each trust delivers",
        help_text="This becomes each committed trust's commitment for the milestone.",
    )
    due_on = models.DateField()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title
