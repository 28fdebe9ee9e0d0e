"""The notification centre, email preferences, and unsubscribing through an email's link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from collab.models import Notification, NotificationCategory, User
from collab.notifications import inbox
from collab.notifications.channels import read_unsubscribe_token
from collab.notifications.forms import PreferencesForm, lower_first
from collab.notifications.selectors import notifications_for, preferences_for

NOTIFICATIONS_PER_PAGE = 25


def _list_url(request: HttpRequest) -> str:
    """Back to the page of the centre the person was on, when the form said which."""
    url = reverse("notifications:list")
    page = request.POST.get("page", "")
    return f"{url}?page={page}" if page.isdigit() and page != "1" else url


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(request.user), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page})


@require_GET
@login_required
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark the notification read and go to what it is about."""
    try:
        notification = inbox.notification_mark_read(
            person=request.user, notification_id=notification_id
        )
    except Notification.DoesNotExist:
        raise Http404("No such notification.") from None
    # The url is always a path of this site; anything else would make this an open redirect.
    if url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("notifications:list")


@require_POST
@login_required
def notification_mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    try:
        notification = inbox.notification_mark_read(
            person=request.user, notification_id=notification_id
        )
    except Notification.DoesNotExist:
        raise Http404("No such notification.") from None
    messages.success(request, f"Marked as read: {notification.title}")
    return redirect(_list_url(request))


@require_POST
@login_required
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    marked = inbox.notifications_mark_all_read(person=request.user)
    if marked:
        messages.success(
            request, f"{marked} notification{'s' if marked != 1 else ''} marked as read."
        )
    else:
        messages.success(request, "You have no unread notifications.")
    return redirect(_list_url(request))


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, current=preferences_for(request.user))
    if request.method == "POST":
        if form.is_valid():
            inbox.preferences_save(person=request.user, choices=form.choices())
            messages.success(request, "Your email choices are saved.")
            return redirect("notifications:preferences")
        return render(request, "notifications/preferences.html", {"form": form}, status=400)
    return render(request, "notifications/preferences.html", {"form": form})


def _person_and_category(token: str) -> tuple[User, str] | None:
    """Who an unsubscribe link was made for, and which category; None for a forged link."""
    try:
        payload = read_unsubscribe_token(token)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("category") not in NotificationCategory.values:
        return None
    person = User.objects.filter(pk=payload.get("person")).first()
    return (person, payload["category"]) if person else None


# Mail clients' one-click unsubscribe (RFC 8058, List-Unsubscribe-Post) posts here with no CSRF
# token and no session; the signed token in the address is what authenticates the request.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = _person_and_category(token)
    if found is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    person, category = found
    context = {
        "person": person,
        "category_label": NotificationCategory(category).label,
        "about": lower_first(NotificationCategory(category).label),
    }
    if request.method == "POST":
        inbox.unsubscribe(person=person, category=category)
        return render(request, "notifications/unsubscribed.html", context)
    return render(request, "notifications/unsubscribe.html", context)
