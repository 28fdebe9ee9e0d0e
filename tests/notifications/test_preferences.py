"""Email preferences: how often each person hears by email about each category of update."""

import re

import pytest
from django.urls import reverse

from collab.models import (
    AuditEvent,
    Delivery,
    DeliveryStatus,
    EmailFrequency,
    NotificationCategory,
    NotificationPreference,
)
from collab.notifications.inbox import preferences_save
from collab.notifications.selectors import preferences_for
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

URL = reverse("notifications:preferences")


def _all(frequency: str) -> dict[str, str]:
    return {category: frequency for category in NotificationCategory.values}


def _checked(html: str) -> dict[str, str]:
    """Which option each category's radios have checked."""
    return dict(re.findall(r'name="([a-z_]+)" type="radio" value="([a-z_]+)" checked', html))


def _saved(person) -> dict[str, str]:
    return dict(person.notification_preferences.values_list("category", "frequency"))


def test_every_category_is_a_question_with_every_frequency(client, lead_of_las):
    client.force_login(lead_of_las)

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<fieldset class="nhsuk-fieldset"') == len(NotificationCategory)
    for category in NotificationCategory:
        assert f'nhsuk-fieldset__legend--s">{category.label}</legend>' in html
    for frequency in EmailFrequency:
        assert html.count(f">{frequency.label}</label>") == len(NotificationCategory)
    assert html.count("<h1") == 1


def test_with_nothing_chosen_every_category_is_emailed_straight_away(client, lead_of_las):
    client.force_login(lead_of_las)

    assert _checked(client.get(URL).content.decode()) == _all(EmailFrequency.IMMEDIATE)


def test_the_current_choices_are_preselected(client, lead_of_las):
    NotificationPreference.objects.create(
        person=lead_of_las,
        category=NotificationCategory.COMMITMENTS,
        frequency=EmailFrequency.WEEKLY,
    )
    client.force_login(lead_of_las)

    checked = _checked(client.get(URL).content.decode())

    assert checked == _all(EmailFrequency.IMMEDIATE) | {"commitments": EmailFrequency.WEEKLY}


def test_the_page_explains_digests_and_that_the_portal_always_shows_everything(
    client, staff_of_las
):
    client.force_login(staff_of_las)

    html = client.get(URL).content.decode()

    assert "A digest is one email that lists everything new since the last one" in html
    assert "every update always appears in your" in html


def test_the_choices_are_saved_and_shown_again(client, lead_of_las):
    client.force_login(lead_of_las)
    choices = _all(EmailFrequency.IMMEDIATE) | {
        "decisions": EmailFrequency.DAILY,
        "commitments": EmailFrequency.WEEKLY,
        "escalations": EmailFrequency.IN_APP,
    }

    response = client.post(URL, choices, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert "Your email choices are saved." in response.content.decode()
    assert _saved(lead_of_las) == {
        "decisions": EmailFrequency.DAILY,
        "commitments": EmailFrequency.WEEKLY,
        "escalations": EmailFrequency.IN_APP,
    }
    assert preferences_for(lead_of_las) == choices
    assert _checked(response.content.decode()) == choices


def test_saving_changes_only_the_persons_own_choices(client, lead_of_las, lead_of_yas):
    client.force_login(lead_of_las)

    client.post(URL, _all(EmailFrequency.WEEKLY))

    assert preferences_for(lead_of_las) == _all(EmailFrequency.WEEKLY)
    assert preferences_for(lead_of_yas) == _all(EmailFrequency.IMMEDIATE)


@pytest.mark.parametrize("broken", [{"decisions": ""}, {"decisions": "hourly"}])
def test_a_missing_or_unknown_choice_is_shown_as_an_error_and_nothing_is_saved(
    client, lead_of_las, broken
):
    client.force_login(lead_of_las)
    choices = _all(EmailFrequency.WEEKLY) | broken

    response = client.post(URL, choices)

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    message = (
        "Select how often to email you about projects opening, decision deadlines and "
        "projects starting."
    )
    assert f'<a href="#id_decisions_0">{message}</a>' in html
    assert html.startswith("<!DOCTYPE html>") and "<title>Error: " in html
    assert _saved(lead_of_las) == {}
    # What the person chose for the other categories is kept on the page.
    assert _checked(html)["commitments"] == EmailFrequency.WEEKLY


def test_a_change_is_audited_with_before_and_after(lead_of_las):
    preferences_save(
        person=lead_of_las,
        choices=_all(EmailFrequency.IMMEDIATE) | {"requests": EmailFrequency.DAILY},
    )

    event = AuditEvent.objects.get(action="notifications.preferences_changed")
    assert event.actor == lead_of_las
    assert event.before == {"requests": EmailFrequency.IMMEDIATE}
    assert event.after == {"requests": EmailFrequency.DAILY}


def test_saving_the_same_choices_again_changes_and_audits_nothing(lead_of_las):
    preferences_save(person=lead_of_las, choices=_all(EmailFrequency.IMMEDIATE))

    assert _saved(lead_of_las) == {}
    assert not AuditEvent.objects.filter(action="notifications.preferences_changed").exists()


@pytest.mark.parametrize("choices", [{"gossip": EmailFrequency.DAILY}, {"decisions": "hourly"}])
def test_the_service_refuses_an_unknown_category_or_frequency(lead_of_las, choices):
    with pytest.raises(ValueError, match="There is no"):
        preferences_save(person=lead_of_las, choices=choices)
    assert _saved(lead_of_las) == {}


def test_choosing_no_email_drops_items_waiting_for_a_digest(lead_of_las):
    waiting = Delivery.objects.create(
        notification=NotificationFactory(recipient=lead_of_las, category="decisions"),
        frequency=EmailFrequency.DAILY,
        status=DeliveryStatus.AWAITING_DIGEST,
    )
    other_category = Delivery.objects.create(
        notification=NotificationFactory(recipient=lead_of_las, category="requests"),
        frequency=EmailFrequency.DAILY,
        status=DeliveryStatus.AWAITING_DIGEST,
    )

    preferences_save(person=lead_of_las, choices={"decisions": EmailFrequency.IN_APP})

    waiting.refresh_from_db()
    other_category.refresh_from_db()
    assert waiting.status == DeliveryStatus.SKIPPED
    assert other_category.status == DeliveryStatus.AWAITING_DIGEST
    # The notification itself stays in the centre.
    assert lead_of_las.notifications.count() == 2


@pytest.mark.parametrize("method", ["put", "delete"])
def test_the_wrong_method_is_refused(client, lead_of_las, method):
    client.force_login(lead_of_las)
    assert getattr(client, method)(URL).status_code == 405


def test_signed_out_people_cannot_save_choices(client, lead_of_las):
    response = client.post(URL, _all(EmailFrequency.IN_APP))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert _saved(lead_of_las) == {}
