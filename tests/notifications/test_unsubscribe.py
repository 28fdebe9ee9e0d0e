"""Unsubscribing from one category through the signed link in an email: a confirmation page,
the mail client's one-click POST (RFC 8058), and a forged link answering 404."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from collab.models import (
    AuditEvent,
    Delivery,
    DeliveryStatus,
    EmailFrequency,
    NotificationCategory,
    NotificationPreference,
)
from collab.notifications.channels import UNSUBSCRIBE_SALT, unsubscribe_token
from collab.notifications.selectors import preferences_for
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

CATEGORY = NotificationCategory.COMMITMENTS


def _url(token: str) -> str:
    return reverse("notifications:unsubscribe", args=[token])


def _link(person, category=CATEGORY) -> str:
    return _url(unsubscribe_token(person, category))


def _frequency(person, category=CATEGORY) -> str:
    return preferences_for(person)[category]


def test_the_link_asks_to_confirm_and_changes_nothing_yet(client, lead_of_las):
    response = client.get(_link(lead_of_las))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Stop emails about commitments due, overdue, accepted or sent back?" in html
    assert '<form method="post"' in html
    assert ">Stop these emails</button>" in html
    assert _frequency(lead_of_las) == EmailFrequency.IMMEDIATE
    assert response["Cache-Control"].startswith("max-age=0")


def test_confirming_stops_that_categorys_emails_only(client, lead_of_las):
    response = client.post(_link(lead_of_las))

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "You will no longer get emails about commitments due, overdue, accepted or sent back"
        in html
    )
    assert f'href="{reverse("notifications:preferences")}"' in html
    assert _frequency(lead_of_las) == EmailFrequency.IN_APP
    assert preferences_for(lead_of_las) == {
        category: EmailFrequency.IN_APP if category == CATEGORY else EmailFrequency.IMMEDIATE
        for category in NotificationCategory.values
    }


def test_unsubscribing_is_audited_as_the_person(client, lead_of_las):
    NotificationPreference.objects.create(
        person=lead_of_las, category=CATEGORY, frequency=EmailFrequency.WEEKLY
    )

    client.post(_link(lead_of_las))

    event = AuditEvent.objects.get(action="notifications.unsubscribed")
    assert event.actor == lead_of_las
    assert event.before == {CATEGORY: EmailFrequency.WEEKLY}
    assert event.after == {CATEGORY: EmailFrequency.IN_APP}


def test_a_second_post_changes_nothing_more(client, lead_of_las):
    client.post(_link(lead_of_las))
    response = client.post(_link(lead_of_las))

    assert response.status_code == 200
    assert NotificationPreference.objects.filter(person=lead_of_las).count() == 1
    assert AuditEvent.objects.filter(action="notifications.unsubscribed").count() == 1


def test_the_mail_clients_one_click_post_needs_no_csrf_token_or_session(lead_of_las):
    # What a mail client sends for List-Unsubscribe-Post: a bare POST, no cookie, no token.
    mail_client = Client(enforce_csrf_checks=True)

    response = mail_client.post(_link(lead_of_las), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert _frequency(lead_of_las) == EmailFrequency.IN_APP


def test_the_link_unsubscribes_its_own_person_whoever_is_signed_in(
    client, lead_of_las, staff_of_las
):
    client.force_login(staff_of_las)

    client.post(_link(lead_of_las))

    assert _frequency(lead_of_las) == EmailFrequency.IN_APP
    assert _frequency(staff_of_las) == EmailFrequency.IMMEDIATE


def test_unsubscribing_drops_items_waiting_for_a_digest(client, lead_of_las):
    waiting = Delivery.objects.create(
        notification=NotificationFactory(recipient=lead_of_las, category=CATEGORY),
        frequency=EmailFrequency.WEEKLY,
        status=DeliveryStatus.AWAITING_DIGEST,
    )

    client.post(_link(lead_of_las))

    waiting.refresh_from_db()
    assert waiting.status == DeliveryStatus.SKIPPED


def _forged(lead_of_las) -> dict[str, str]:
    good = unsubscribe_token(lead_of_las, CATEGORY)
    return {
        "nonsense": "not-a-token",
        "tampered": good[:-3] + ("aaa" if not good.endswith("aaa") else "bbb"),
        "other salt": signing.dumps({"person": lead_of_las.pk, "category": CATEGORY}),
        "unknown category": signing.dumps(
            {"person": lead_of_las.pk, "category": "gossip"}, salt=UNSUBSCRIBE_SALT
        ),
        "nobody": signing.dumps({"person": 987654, "category": CATEGORY}, salt=UNSUBSCRIBE_SALT),
        "not a dict": signing.dumps([lead_of_las.pk, CATEGORY], salt=UNSUBSCRIBE_SALT),
    }


@pytest.mark.parametrize(
    "kind", ["nonsense", "tampered", "other salt", "unknown category", "nobody", "not a dict"]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_link_is_not_found_and_changes_nothing(client, lead_of_las, kind, method):
    token = _forged(lead_of_las)[kind]

    response = getattr(client, method)(_url(token))

    assert response.status_code == 404
    assert "This unsubscribe link does not work" in response.content.decode()
    assert not NotificationPreference.objects.exists()
    assert not AuditEvent.objects.filter(action="notifications.unsubscribed").exists()


@pytest.mark.parametrize("method", ["put", "delete"])
def test_the_wrong_method_is_refused(client, lead_of_las, method):
    response = getattr(client, method)(_link(lead_of_las))

    assert response.status_code == 405
    assert _frequency(lead_of_las) == EmailFrequency.IMMEDIATE
