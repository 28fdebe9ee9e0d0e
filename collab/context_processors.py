import functools

from django.conf import settings
from django.http import HttpRequest

from collab.notifications.selectors import unread_count


def portal(request: HttpRequest) -> dict:
    return {"service_name": settings.PORTAL_SERVICE_NAME}


def notifications(request: HttpRequest) -> dict:
    """The unread count for the header, counted only if a template shows it, and once a page.

    Templates call a callable they are given, so the query runs when the header renders it;
    the cache makes a second use on the same page (the notification centre) free."""

    @functools.cache
    def unread_notifications() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return unread_count(user)

    return {"unread_notifications": unread_notifications}
