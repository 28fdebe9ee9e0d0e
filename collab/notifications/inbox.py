"""A person's own inbox and email choices: marking notifications read, choosing how often to
get email for each category, and unsubscribing from a category through an email's link."""

from django.db import transaction
from django.utils import timezone

from collab.audit import audit_record
from collab.models import (
    Delivery,
    DeliveryStatus,
    EmailFrequency,
    Notification,
    NotificationCategory,
    NotificationPreference,
    User,
)
from collab.notifications.selectors import preferences_for, unread_count_changed

# Reading a notification is not audited: it changes nothing anyone else relies on, and the
# audit trail records decisions and changes to shared work, not what a person has looked at.


def notification_mark_read(*, person: User, notification_id: int) -> Notification:
    """Mark one of the person's own notifications read (a no-op if it already is).

    Raises Notification.DoesNotExist for another person's notification, as for a missing one."""
    notification = Notification.objects.get(pk=notification_id, recipient=person)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        unread_count_changed([person.pk])
    return notification


def notifications_mark_all_read(*, person: User) -> int:
    """Mark every unread notification of the person read; returns how many were unread."""
    marked = Notification.objects.filter(recipient=person, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    unread_count_changed([person.pk])
    return marked


def preferences_save(*, person: User, choices: dict[str, str]) -> dict[str, str]:
    """Save how often the person wants email for each category given, in one transaction.

    Returns the categories that changed, with their new frequency. Raises ValueError for a
    category or frequency that does not exist (the form offers only real ones)."""
    for category, frequency in choices.items():
        if category not in NotificationCategory.values:
            raise ValueError(f"There is no notification category {category!r}.")
        if frequency not in EmailFrequency.values:
            raise ValueError(f"There is no email frequency {frequency!r}.")
    with transaction.atomic():
        before = preferences_for(person)
        changed = {c: f for c, f in choices.items() if before[c] != f}
        for category, frequency in changed.items():
            _preference_set(person, category, frequency)
        if changed:
            audit_record(
                actor=person,
                action="notifications.preferences_changed",
                target=person,
                trust=person.home_trust,
                before={c: before[c] for c in changed},
                after=changed,
            )
    return changed


def unsubscribe(*, person: User, category: str) -> bool:
    """Stop the person's emails about one category (they still appear in the portal).

    Safe to repeat: a mail client's one-click unsubscribe may post more than once. Returns
    whether anything changed; only a change is audited."""
    if category not in NotificationCategory.values:
        raise ValueError(f"There is no notification category {category!r}.")
    with transaction.atomic():
        before = preferences_for(person)[category]
        if before == EmailFrequency.IN_APP:
            return False
        _preference_set(person, category, EmailFrequency.IN_APP)
        audit_record(
            actor=person,
            action="notifications.unsubscribed",
            target=person,
            trust=person.home_trust,
            before={category: before},
            after={category: EmailFrequency.IN_APP},
        )
    return True


def _preference_set(person: User, category: str, frequency: str) -> None:
    NotificationPreference.objects.update_or_create(
        person=person, category=category, defaults={"frequency": frequency}
    )
    if frequency == EmailFrequency.IN_APP:
        # "No email" must mean no email: items already waiting for a digest that has not been
        # put together yet are dropped from it (they stay in the notification centre).
        Delivery.objects.filter(
            notification__recipient=person,
            notification__category=category,
            status=DeliveryStatus.AWAITING_DIGEST,
            digest__isnull=True,
        ).update(
            status=DeliveryStatus.SKIPPED,
            last_error="The person turned off emails about this.",
        )
