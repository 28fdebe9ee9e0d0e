"""The page header of a signed-in person, as a part of the page cache (issue 7)."""

from django.conf import settings
from django.http import HttpRequest

from collab.notifications.selectors import notifications_scope, unread_count
from collab.page_cache import NOTIFICATIONS, CachedPart, render_with_csrf_slot


def page_header_part(request: HttpRequest) -> CachedPart | None:
    """The signed-in person's header as a cached part (None for anyone not signed in)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    trust = user.home_trust
    shown = (
        user.pk,
        user.full_name,
        user.email,
        (trust.short_name, trust.slug) if trust else None,
        user.is_staff,
    )

    def render() -> str:
        context = {
            "user": user,
            "service_name": settings.PORTAL_SERVICE_NAME,
            "unread_notifications": unread_count(user),
        }
        return render_with_csrf_slot("includes/header.html", context)

    scopes = (notifications_scope(user.pk),)
    return CachedPart(NOTIFICATIONS, "page-header", shown, render, scopes)
