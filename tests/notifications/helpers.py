"""Reading what people were told, for the notification tests."""

from collab.models import Notification


def told(kind: str, **filters) -> set[str]:
    """The email addresses of everyone given a notification of this kind."""
    return set(
        Notification.objects.filter(kind=kind, **filters).values_list("recipient__email", flat=True)
    )


def kinds_for(person) -> list[str]:
    return sorted(Notification.objects.filter(recipient=person).values_list("kind", flat=True))
