"""Writing the audit trail. Call inside the transaction of the change it records.

Every change is audited, so this is also where cached parts of pages learn that what they
show has changed (collab.page_cache).
"""

from typing import Any

from django.db import models

from collab.models import AuditEvent, Trust, User
from collab.page_cache import content_changed


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    trust: Trust | None = None,
    before: Any = None,
    after: Any = None,
    reason: str = "",
    context: models.Model | None = None,
) -> AuditEvent:
    content_changed(target, *([context] if context is not None else []))
    return AuditEvent.objects.create(
        actor=actor if actor and actor.pk else None,
        actor_email=actor.email if actor else "",
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:300],
        trust=trust,
        before=before,
        after=after,
        reason=reason,
        context=audit_context(context or target),
    )


def audit_context(obj: models.Model) -> str:
    """The key under which an object's history is filed (see AuditEvent.context)."""
    return f"{obj._meta.label_lower}:{obj.pk}"
