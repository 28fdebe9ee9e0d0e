import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from collab.models.trust import Trust


class Collaboration(models.Model):
    """A named group of trusts working together, e.g. the Northern Ambulance Alliance."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    trusts = models.ManyToManyField(
        Trust, through="CollaborationMembership", related_name="collaborations"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("collaboration_detail", kwargs={"collaboration_slug": self.slug})


class CollaborationMembership(models.Model):
    """A trust's membership of a collaboration, dated: trusts join and leave over the years."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="memberships"
    )
    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="memberships")
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["trust__name"]
        constraints = [
            # One open membership per trust and collaboration; a trust may rejoin after leaving.
            models.UniqueConstraint(
                fields=["collaboration", "trust"],
                condition=Q(left_on__isnull=True),
                name="one_current_membership_per_trust",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trust.short_name} in {self.collaboration.short_name}"

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.joined_on <= on and (self.left_on is None or self.left_on >= on)


class ChairTerm(models.Model):
    """Who chairs a collaboration, and for how long: the chair rotates between member trusts."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="chair_terms"
    )
    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="chair_terms")
    chair_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The person in the chair, e.g. the trust's chief executive.",
    )
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="chair_term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.trust.short_name} chairs {self.collaboration.short_name} from {self.starts_on}"
        )

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The term must end on or after the day it starts."})
        if not (self.collaboration_id and self.trust_id and self.starts_on and self.ends_on):
            return
        overlapping = ChairTerm.objects.filter(
            collaboration_id=self.collaboration_id,
            starts_on__lte=self.ends_on,
            ends_on__gte=self.starts_on,
        ).exclude(pk=self.pk)
        if overlapping.exists():
            raise ValidationError("Another chair term overlaps these dates; one chair at a time.")
        is_member = (
            CollaborationMembership.objects.filter(
                collaboration_id=self.collaboration_id,
                trust_id=self.trust_id,
                joined_on__lte=self.starts_on,
            )
            .filter(Q(left_on__isnull=True) | Q(left_on__gte=self.starts_on))
            .exists()
        )
        if not is_member:
            raise ValidationError({"trust": "The chair must come from a member trust."})
