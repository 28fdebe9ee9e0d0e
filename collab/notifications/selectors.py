"""Reads for the notification centre and the email preferences, always of one person's own."""

from django.db.models import QuerySet

from collab.models import EmailFrequency, Notification, NotificationCategory, User


def notifications_for(person: User) -> QuerySet[Notification]:
    """The person's notifications, newest first (notification_inbox_idx serves this order)."""
    return Notification.objects.filter(recipient=person).order_by("-created_at", "-pk")


def unread_count(person: User) -> int:
    """One COUNT on the partial index of unread rows (notification_unread_idx): every page's
    header asks, so it must stay cheap however many notifications a person has read."""
    return Notification.objects.filter(recipient=person, read_at__isnull=True).count()


def preferences_for(person: User) -> dict[str, str]:
    """How often the person wants email for each category. No row means straight away."""
    chosen = dict(person.notification_preferences.values_list("category", "frequency"))
    return {
        category: chosen.get(category, EmailFrequency.IMMEDIATE)
        for category in NotificationCategory.values
    }
