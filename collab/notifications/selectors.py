"""Reads for the notification centre and the email preferences, always of one person's own."""

from collections.abc import Iterable

from django.db.models import QuerySet

from collab.models import EmailFrequency, Notification, NotificationCategory, User
from collab.page_cache import NOTIFICATIONS, cached_value, scopes_changed


def notifications_for(person: User) -> QuerySet[Notification]:
    """The person's notifications, newest first (notification_inbox_idx serves this order)."""
    return Notification.objects.filter(recipient=person).order_by("-created_at", "-pk")


def unread_count(person: User) -> int:
    """One COUNT on the partial index of unread rows (notification_unread_idx), kept in the
    page cache until the person's notifications change (`unread_count_changed`): every page's
    header asks (issue 7)."""
    return cached_value(
        NOTIFICATIONS,
        "unread-notifications",
        (person.pk,),
        lambda: Notification.objects.filter(recipient=person, read_at__isnull=True).count(),
        scopes=[notifications_scope(person.pk)],
    )


def unread_count_changed(person_ids: Iterable[int]) -> None:
    """Call in the transaction that adds, reads or removes the people's notifications."""
    scopes_changed(*(notifications_scope(person_id) for person_id in person_ids))


def notifications_scope(person_id: int) -> str:
    """The page cache's scope of what shows the person's unread count (renewed with it)."""
    return f"notifications-of:{person_id}"


def preferences_for(person: User) -> dict[str, str]:
    """How often the person wants email for each category. No row means straight away."""
    chosen = dict(person.notification_preferences.values_list("category", "frequency"))
    return {
        category: chosen.get(category, EmailFrequency.IMMEDIATE)
        for category in NotificationCategory.values
    }
