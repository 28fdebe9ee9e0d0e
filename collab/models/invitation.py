import uuid

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from collab.models.roles import Role
from collab.models.trust import Trust


class Invitation(models.Model):
    """An invitation by email to join a trust with a role. The key in the link is the secret."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField()
    full_name = models.CharField(max_length=200, blank=True)
    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(
        max_length=20,
        choices=[(Role.STAFF, Role.STAFF.label), (Role.TRUST_LEAD, Role.TRUST_LEAD.label)],
    )
    invited_by = models.ForeignKey(
        "collab.User", on_delete=models.PROTECT, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    emailed_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.OneToOneField(
        "collab.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        "collab.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations_revoked",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per address: a second would leave two live links to one account.
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.trust.short_name} as {self.get_role_display()}"

    def get_absolute_url(self) -> str:
        return reverse("invitation_accept", kwargs={"key": self.key})

    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    def is_open(self) -> bool:
        """Can still be accepted: not accepted, not revoked, not expired."""
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired()

    @property
    def status_label(self) -> str:
        if self.accepted_at:
            return "Accepted"
        if self.revoked_at:
            return "Revoked"
        if self.is_expired():
            return "Expired"
        return "Waiting"
