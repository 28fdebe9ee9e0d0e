from django.db import models
from django.db.models import Q

from collab.models.collaboration import Collaboration
from collab.models.trust import Trust


class Role(models.TextChoices):
    STAFF = "staff", "Staff"
    TRUST_LEAD = "trust_lead", "Trust lead"
    PROGRAMME_ADMIN = "programme_admin", "Programme admin"
    SITE_ADMIN = "site_admin", "Site admin"


TRUST_ROLES = (Role.STAFF, Role.TRUST_LEAD)


class RoleAssignment(models.Model):
    """One role held by one person, scoped to a trust or a collaboration (or to the whole site)."""

    user = models.ForeignKey(
        "collab.User", on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    trust = models.ForeignKey(
        Trust, on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments"
    )
    collaboration = models.ForeignKey(
        Collaboration,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role"]
        constraints = [
            # Each role carries exactly the scope it needs, so a lead always has a trust, etc.
            models.CheckConstraint(
                condition=(
                    Q(
                        role__in=[Role.STAFF, Role.TRUST_LEAD],
                        trust__isnull=False,
                        collaboration__isnull=True,
                    )
                    | Q(role=Role.PROGRAMME_ADMIN, trust__isnull=True, collaboration__isnull=False)
                    | Q(role=Role.SITE_ADMIN, trust__isnull=True, collaboration__isnull=True)
                ),
                name="role_has_its_scope",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "trust"],
                condition=Q(trust__isnull=False),
                name="one_trust_role_each",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "collaboration"],
                condition=Q(collaboration__isnull=False),
                name="one_collaboration_role_each",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(role="site_admin"), name="one_site_admin_role_each"
            ),
        ]

    def __str__(self) -> str:
        scope = self.trust or self.collaboration
        return f"{self.get_role_display()} of {scope}" if scope else self.get_role_display()
