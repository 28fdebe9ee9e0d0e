"""The emails themselves: what a notification and a digest say, in text and in HTML, with the
link to the portal, the reason the person is told, and a way to stop them."""

import datetime
import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from collab.models import Digest, EmailFrequency, NotificationCategory
from collab.notifications.channels import EmailChannel, read_unsubscribe_token
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL.rstrip("/")
PREFERENCES = SITE + reverse("notifications:preferences")


def _html(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def _unsubscribe_urls(text: str) -> list[str]:
    return re.findall(re.escape(SITE) + r"/notifications/unsubscribe/[^/\s\"<]+/", text)


@pytest.fixture
def notification(lead_of_las, las):
    return NotificationFactory(
        recipient=lead_of_las,
        category=NotificationCategory.COMMITMENTS,
        title="Data sharing agreement is due in 7 days",
        body="LAS's deliverable for the AI triage evaluation is due on 1 June 2026."
        "\nAdd an update.",
        url=f"/trusts/{las.slug}/",
        reason="You own this commitment for London Ambulance Service NHS Trust on the project.",
    )


def test_a_notification_email_says_what_why_and_where_in_text_and_html(notification):
    EmailChannel().send(notification)

    [message] = mail.outbox
    assert message.to == ["lead.las@example.org"]
    assert message.subject == (
        "[Ambulance Collaboration Portal] Data sharing agreement is due in 7 days"
    )
    link = f"{SITE}/trusts/las/"
    for part in (message.body, _html(message)):
        assert "Data sharing agreement is due in 7 days" in part
        assert "Hello Lead Las," in part
        assert link in part
        assert notification.reason in part
        assert PREFERENCES in part
        assert "commitments due, overdue, accepted or sent back" in part
        [unsubscribe] = set(_unsubscribe_urls(part))
        assert read_unsubscribe_token(unsubscribe.rsplit("/", 2)[-2]) == {
            "person": notification.recipient.pk,
            "category": NotificationCategory.COMMITMENTS,
        }
    assert f'<a href="{link}"' in _html(message)


def test_the_html_email_has_the_nhs_look(notification):
    EmailChannel().send(notification)

    html = _html(mail.outbox[0])
    # The blue band with the service name, and the green button to the update.
    assert re.search(r'background-color:#005eb8;[^"]*">Ambulance Collaboration Portal</td>', html)
    assert re.search(
        r'<td style="background-color:#007f3b;[^"]*">\s*<a href="'
        + re.escape(f"{SITE}/trusts/las/")
        + r'"[^>]*>View this update in the portal</a>',
        html,
    )
    assert "font-family:Frutiger, Arial, sans-serif" in html
    assert '<html lang="en-GB">' in html
    # The body keeps its line breaks.
    assert "1 June 2026.<br>Add an update." in html


def test_the_email_carries_the_one_click_unsubscribe_headers(notification):
    EmailChannel().send(notification)

    message = mail.outbox[0]
    [unsubscribe] = set(_unsubscribe_urls(message.body))
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_unsubscribe_link_in_the_email_works(client, notification):
    EmailChannel().send(notification)
    [unsubscribe] = set(_unsubscribe_urls(mail.outbox[0].body))

    response = client.post(unsubscribe.removeprefix(SITE))

    assert response.status_code == 200
    assert notification.recipient.notification_preferences.get().frequency == "in_app"


def test_everything_written_into_the_email_is_escaped_in_html(lead_of_las):
    notification = NotificationFactory(
        recipient=lead_of_las,
        title='<script>alert("x")</script> Fish & chips',
        body="<img src=x onerror=alert(1)>",
        group_label="<b>Project</b>",
        reason="<i>Because</i>",
    )

    EmailChannel().send(notification)

    message = mail.outbox[0]
    html = _html(message)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Fish &amp; chips" in html
    assert "<img" not in html
    assert "<b>Project</b>" not in html
    assert "<i>Because</i>" not in html
    # Plain text is not HTML: it reads exactly as written, with no entities.
    assert '<script>alert("x")</script> Fish & chips' in message.body
    assert "&amp;" not in message.body
    assert "&lt;" not in message.body


# --- The digest --------------------------------------------------------------------------------


@pytest.fixture
def digest_items(lead_of_las, las):
    now = timezone.now()

    def told(title, group, hours_ago, category=NotificationCategory.DECISIONS):
        return NotificationFactory(
            recipient=lead_of_las,
            title=title,
            group_label=group,
            category=category,
            created_at=now - datetime.timedelta(hours=hours_ago),
            url=f"/trusts/las/?item={title.split()[-1]}",
        )

    return [
        told("Triage item one", "AI triage evaluation", 20),
        told("Vehicles item two", "Common vehicle specification", 10),
        told("Triage item three", "AI triage evaluation", 3),
        told(
            "Triage item four",
            "AI triage evaluation",
            5,
            category=NotificationCategory.COMMITMENTS,
        ),
    ]


@pytest.fixture
def digest(lead_of_las):
    return Digest.objects.create(
        recipient=lead_of_las,
        frequency=EmailFrequency.DAILY,
        period_start=timezone.localdate(),
    )


def test_a_digest_groups_its_items_newest_first_in_text_and_html(digest, digest_items):
    EmailChannel().send_digest(digest, digest_items)

    [message] = mail.outbox
    assert message.subject == "[Ambulance Collaboration Portal] 4 updates in the last day"
    for part in (message.body, _html(message)):
        assert "4 updates in the last day" in part
        order = [
            part.index(text)
            for text in (
                "AI triage evaluation",
                "Triage item three",
                "Triage item four",
                "Triage item one",
                "Common vehicle specification",
                "Vehicles item two",
            )
        ]
        assert order == sorted(order)
        assert PREFERENCES in part
        assert SITE + reverse("notifications:list") in part
        assert "daily digest" in part
    html = _html(message)
    for item in digest_items:
        link = f"{SITE}{item.url}".replace("&", "&amp;")
        assert f'<a href="{link}" style="color:#005eb8; font-weight:bold;">{item.title}</a>' in html
        assert f"{SITE}{item.url}\n" in message.body


def test_a_digest_has_one_unsubscribe_link_per_category_in_it(digest, digest_items):
    EmailChannel().send_digest(digest, digest_items)

    message = mail.outbox[0]
    for part in (message.body, _html(message)):
        categories = {
            read_unsubscribe_token(url.rsplit("/", 2)[-2])["category"]
            for url in _unsubscribe_urls(part)
        }
        assert categories == {NotificationCategory.DECISIONS, NotificationCategory.COMMITMENTS}
    assert NotificationCategory.COMMITMENTS.label in message.body
    assert NotificationCategory.DECISIONS.label in _html(message)


def test_a_weekly_digest_says_so(lead_of_las, digest_items):
    digest = Digest.objects.create(
        recipient=lead_of_las, frequency=EmailFrequency.WEEKLY, period_start=timezone.localdate()
    )

    EmailChannel().send_digest(digest, digest_items[:1])

    message = mail.outbox[0]
    assert message.subject == "[Ambulance Collaboration Portal] 1 update this week"
    assert "weekly digest" in message.body
    assert "1 update this week" in _html(message)


def test_a_digest_escapes_what_it_shows(digest, lead_of_las):
    item = NotificationFactory(
        recipient=lead_of_las, title="<script>x</script>", group_label="A & <b>B</b>"
    )

    EmailChannel().send_digest(digest, [item])

    html = _html(mail.outbox[0])
    assert "<script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert "A &amp; &lt;b&gt;B&lt;/b&gt;" in html
    assert "A & <b>B</b>" in mail.outbox[0].body
