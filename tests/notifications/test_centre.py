"""The notification centre: a person's own notifications, newest first, read and unread; and
the unread count in the header of every page."""

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from collab.context_processors import notifications as notifications_context
from collab.models import Notification
from collab.notifications.outbox import notify
from collab.notifications.views import NOTIFICATIONS_PER_PAGE
from tests.factories import NotificationFactory
from tests.notifications.test_outbox import trust_news

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
MARK_ALL = reverse("notifications:mark_all_read")


def _open(notification: Notification) -> str:
    return reverse("notifications:open", args=[notification.pk])


def _mark(notification: Notification) -> str:
    return reverse("notifications:mark_read", args=[notification.pk])


def _ago(hours: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


def _titles(html: str) -> list[str]:
    return re.findall(r'class="nhsuk-card__link" href="[^"]+">([^<]+)</a>', html)


def _unread(person) -> int:
    return Notification.objects.filter(recipient=person, read_at__isnull=True).count()


# --- The list ------------------------------------------------------------------------------------


def test_the_centre_lists_only_the_persons_own_notifications_newest_first(
    client, lead_of_las, lead_of_yas
):
    NotificationFactory(recipient=lead_of_las, title="Oldest for LAS", created_at=_ago(30))
    NotificationFactory(recipient=lead_of_las, title="Newest for LAS", created_at=_ago(1))
    NotificationFactory(recipient=lead_of_las, title="Middle for LAS", created_at=_ago(5))
    NotificationFactory(recipient=lead_of_yas, title="Only for YAS")
    client.force_login(lead_of_las)

    response = client.get(LIST)

    assert response.status_code == 200
    html = response.content.decode()
    assert _titles(html) == ["Newest for LAS", "Middle for LAS", "Oldest for LAS"]
    assert "Only for YAS" not in html
    assert html.count("<h1") == 1


def test_unread_notifications_are_tagged_new_in_words(client, lead_of_las):
    NotificationFactory(recipient=lead_of_las, title="Still to read")
    NotificationFactory(recipient=lead_of_las, title="Already read", read_at=timezone.now())
    client.force_login(lead_of_las)

    html = client.get(LIST).content.decode()

    assert html.count('<strong class="nhsuk-tag nhsuk-tag--blue">New</strong>') == 1
    unread_card = re.search(r'data-unread="true">.*?</li>', html, re.S).group(0)
    assert "Still to read" in unread_card
    assert "You have 1 unread notification." in html


def test_each_notification_links_to_open_it(client, lead_of_las):
    notification = NotificationFactory(recipient=lead_of_las)
    client.force_login(lead_of_las)

    html = client.get(LIST).content.decode()

    assert f'href="{_open(notification)}">{notification.title}</a>' in html


def test_mark_all_as_read_is_offered_only_when_something_is_unread(client, lead_of_las):
    client.force_login(lead_of_las)
    NotificationFactory(recipient=lead_of_las, read_at=timezone.now())
    assert "Mark all as read" not in client.get(LIST).content.decode()

    NotificationFactory(recipient=lead_of_las)
    html = client.get(LIST).content.decode()
    assert f'action="{MARK_ALL}"' in html
    assert "Mark all as read" in html


def test_a_person_with_no_notifications_sees_the_empty_state(client, lead_of_las, lead_of_yas):
    NotificationFactory(recipient=lead_of_yas)
    client.force_login(lead_of_las)

    html = client.get(LIST).content.decode()

    assert 'data-testid="no-notifications"' in html
    assert "You have no notifications yet." in html
    assert "Mark all as read" not in html


def test_the_centre_links_to_the_email_preferences(client, staff_of_las):
    client.force_login(staff_of_las)

    html = client.get(LIST).content.decode()

    assert f'href="{reverse("notifications:preferences")}"' in html


def test_the_centre_shows_25_a_page(client, lead_of_las):
    for hours in range(NOTIFICATIONS_PER_PAGE + 5):
        NotificationFactory(recipient=lead_of_las, title=f"Item {hours}", created_at=_ago(hours))
    client.force_login(lead_of_las)

    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"page": 2}).content.decode()

    assert _titles(first) == [f"Item {n}" for n in range(25)]
    assert _titles(second) == [f"Item {n}" for n in range(25, 30)]
    assert 'href="?page=2"' in first
    assert 'href="?page=1"' in second
    assert "Page 2 of 2" in first


# --- Opening and marking read ------------------------------------------------------------------


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, lead_of_las, las):
    notification = NotificationFactory(recipient=lead_of_las, url=f"/trusts/{las.slug}/")
    client.force_login(lead_of_las)

    response = client.get(_open(notification))

    assert response.status_code == 302
    assert response.url == f"/trusts/{las.slug}/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_an_already_read_notification_keeps_when_it_was_read(client, lead_of_las):
    read_at = _ago(48)
    notification = NotificationFactory(recipient=lead_of_las, read_at=read_at)
    client.force_login(lead_of_las)

    client.get(_open(notification))

    notification.refresh_from_db()
    assert notification.read_at == read_at


@pytest.mark.parametrize("url", ["https://evil.example/phish", "//evil.example/phish"])
def test_a_notification_never_sends_anyone_off_the_site(client, lead_of_las, url):
    notification = NotificationFactory(recipient=lead_of_las, url=url)
    client.force_login(lead_of_las)

    response = client.get(_open(notification))

    assert response.status_code == 302
    assert response.url == LIST


@pytest.mark.parametrize("action", ["open", "mark_read"])
def test_another_persons_notification_is_not_found(client, lead_of_las, lead_of_yas, action):
    theirs = NotificationFactory(recipient=lead_of_yas)
    client.force_login(lead_of_las)
    url = reverse(f"notifications:{action}", args=[theirs.pk])

    response = client.get(url) if action == "open" else client.post(url)

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_notification_that_does_not_exist_is_not_found(client, lead_of_las):
    client.force_login(lead_of_las)
    assert client.get(reverse("notifications:open", args=[999999])).status_code == 404


def test_marking_one_read_leaves_the_others_unread(client, lead_of_las):
    first = NotificationFactory(recipient=lead_of_las, title="Read me")
    second = NotificationFactory(recipient=lead_of_las)
    client.force_login(lead_of_las)

    response = client.post(_mark(first), follow=True)

    assert response.redirect_chain == [(LIST, 302)]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None
    assert "Marked as read: Read me" in response.content.decode()


def test_marking_read_returns_to_the_same_page_of_the_centre(client, lead_of_las):
    notification = NotificationFactory(recipient=lead_of_las)
    client.force_login(lead_of_las)

    response = client.post(_mark(notification), {"page": "2"})

    assert response.url == f"{LIST}?page=2"


def test_mark_all_as_read_marks_only_the_persons_own(client, lead_of_las, lead_of_yas):
    NotificationFactory.create_batch(3, recipient=lead_of_las)
    NotificationFactory(recipient=lead_of_las, read_at=_ago(2))
    NotificationFactory(recipient=lead_of_yas)
    client.force_login(lead_of_las)

    response = client.post(MARK_ALL, follow=True)

    assert response.redirect_chain == [(LIST, 302)]
    assert _unread(lead_of_las) == 0
    assert _unread(lead_of_yas) == 1
    assert "3 notifications marked as read." in response.content.decode()


# --- Methods and signing in --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("post", "list", []),
        ("post", "open", [1]),
        ("get", "mark_read", [1]),
        ("get", "mark_all_read", []),
    ],
)
def test_the_wrong_method_is_refused(client, lead_of_las, method, name, args):
    notification = NotificationFactory(recipient=lead_of_las)
    client.force_login(lead_of_las)
    url = reverse(f"notifications:{name}", args=[notification.pk] if args else [])

    response = getattr(client, method)(url)

    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("get", "list", False),
        ("get", "open", True),
        ("post", "mark_read", True),
        ("post", "mark_all_read", False),
        ("get", "preferences", False),
    ],
)
def test_signed_out_people_are_sent_to_sign_in(client, lead_of_las, method, name, args):
    notification = NotificationFactory(recipient=lead_of_las)
    url = reverse(f"notifications:{name}", args=[notification.pk] if args else [])

    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    notification.refresh_from_db()
    assert notification.read_at is None


# --- The header ----------------------------------------------------------------------------------


def _header(html: str) -> str:
    return re.search(r'<header class="nhsuk-header".*?</header>', html, re.S).group(0)


def test_the_header_shows_how_many_notifications_are_unread(client, lead_of_las, lead_of_yas):
    NotificationFactory.create_batch(3, recipient=lead_of_las)
    NotificationFactory(recipient=lead_of_las, read_at=timezone.now())
    NotificationFactory(recipient=lead_of_yas)
    client.force_login(lead_of_las)

    header = _header(client.get(reverse("dashboard")).content.decode())

    # Seen as "Notifications (3)"; heard as "Notifications 3 unread".
    assert (
        f'href="{LIST}" data-testid="notifications-link">Notifications '
        '<span aria-hidden="true">(3)</span>'
        '<span class="nhsuk-u-visually-hidden">3 unread</span></a>'
    ) in header


def test_the_header_shows_no_count_when_everything_is_read(client, lead_of_las):
    NotificationFactory(recipient=lead_of_las, read_at=timezone.now())
    client.force_login(lead_of_las)

    header = _header(client.get(reverse("dashboard")).content.decode())

    assert 'data-testid="notifications-link">Notifications</a>' in header


def test_signed_out_people_have_no_notifications_link(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert 'data-testid="notifications-link"' not in html


def test_the_unread_count_is_counted_only_when_shown_and_once(
    lead_of_las, django_assert_num_queries
):
    NotificationFactory.create_batch(2, recipient=lead_of_las)
    request = RequestFactory().get("/")
    request.user = lead_of_las

    with django_assert_num_queries(0):
        context = notifications_context(request)
    with django_assert_num_queries(1) as captured:
        assert context["unread_notifications"]() == 2
    with django_assert_num_queries(0):
        assert context["unread_notifications"]() == 2

    # One COUNT over the unread rows, which the partial index notification_unread_idx serves.
    sql = captured.captured_queries[0]["sql"]
    assert sql.startswith("SELECT COUNT(*)")
    assert '"read_at" IS NULL' in sql


def test_nobody_signed_in_has_nothing_counted(django_assert_num_queries, db):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    with django_assert_num_queries(0):
        assert notifications_context(request)["unread_notifications"]() == 0


def _count_queries(queries) -> int:
    return sum('FROM "collab_notification"' in q["sql"] and "COUNT(" in q["sql"] for q in queries)


def test_the_unread_count_is_cached_until_the_persons_notifications_change(
    client, django_capture_on_commit_callbacks, las, yas, lead_of_las, lead_of_yas
):
    client.force_login(lead_of_las)
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as second:
        header = _header(client.get(reverse("dashboard")).content.decode())
    assert (_count_queries(first), _count_queries(second)) == (1, 0)
    assert 'data-testid="notifications-link">Notifications</a>' in header

    # Someone else's notification leaves this count in the cache.
    with django_capture_on_commit_callbacks(execute=True):
        notify(trust_news, yas)
    with CaptureQueriesContext(connection) as after_theirs:
        client.get(reverse("dashboard"))
    assert _count_queries(after_theirs) == 0

    with django_capture_on_commit_callbacks(execute=True):
        notify(trust_news, las)
    header = _header(client.get(reverse("dashboard")).content.decode())
    assert '<span aria-hidden="true">(1)</span>' in header

    client.post(MARK_ALL)
    header = _header(client.get(reverse("dashboard")).content.decode())
    assert 'data-testid="notifications-link">Notifications</a>' in header
