from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """Append-only record of a decision or change: who, what, when, before and after."""

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        "collab.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept as text too, so the record still says who acted after an account is removed.
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64)
    target_label = models.CharField(max_length=300)
    # The trust the change belongs to, so that a trust's history can be listed.
    trust = models.ForeignKey(
        "collab.Trust",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=True,
    )
    # The object whose history this belongs to (e.g. the project for a trust's decision on it),
    # as "app_label.model:pk", so one indexed query lists a project's whole timeline.
    context = models.CharField(max_length=120, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            # "What happened to this object?": the history panel of any page.
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_email or 'system'} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionDenied("Audit events cannot be changed once recorded.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit events cannot be deleted.")
