import functools

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from collab.notifications.selectors import unread_count
from collab.page_cache import cached_values, with_csrf_token
from collab.page_header import page_header_part


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


def header(request: HttpRequest) -> dict:
    """The page header (base.html), rendered once a page if the page shows it.

    A signed-in person's header is the same on every page until their unread count changes,
    so it is kept in the page cache with that count (issue 7): its key holds everything else
    it shows of them, and the sign-out form's CSRF token is filled in for each request. A view
    that reads other parts from the cache can read the header with them, in one round trip
    (`page_header_part`), and give it to its template as `portal_header`."""

    @functools.cache
    def portal_header() -> SafeString:
        part = page_header_part(request)
        if part is None:
            user = getattr(request, "user", None)
            context = {"user": user, "service_name": settings.PORTAL_SERVICE_NAME}
            return render_to_string("includes/header.html", context, request)
        [html] = cached_values([part])
        return with_csrf_token(html, request)

    return {"portal_header": portal_header}
