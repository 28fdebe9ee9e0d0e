"""The notification journey: a lead sees the unread count in the header, opens the centre and
one notification, marks the rest read and changes how often they are emailed; the unsubscribe
link from an email works without signing in. axe checks every page on the way."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from collab.models import EmailFrequency, NotificationCategory, NotificationPreference
from collab.notifications.channels import unsubscribe_token
from tests.factories import PASSWORD, NotificationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAILY = EmailFrequency.DAILY.label
IN_APP = EmailFrequency.IN_APP.label


def _sign_in(portal, email: str) -> None:
    portal.goto("/accounts/login/")
    portal.page.get_by_label("Email").fill(email)
    portal.page.get_by_label("Password").fill(PASSWORD)
    portal.page.get_by_role("button", name="Sign in", exact=True).click()
    expect(portal.page.get_by_role("heading", level=1)).to_contain_text("Your dashboard")


def _success_banner(page):
    return page.locator(".nhsuk-notification-banner--success")


def _notifications_link(page):
    return page.get_by_test_id("notifications-link")


def _assert_no_sideways_scrolling(page) -> None:
    """Nothing wider than the screen (see test_project_journey for why both widths count)."""
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    screen = page.viewport_size["width"]
    assert scroll_width <= inner_width <= screen, (page.url, scroll_width, inner_width, screen)


@pytest.fixture
def told_lead(lead_of_las, las):
    """Three unread notifications for the lead of LAS, the newest about the LAS trust page."""
    now = timezone.now()
    for hours, title in (
        (30, "SECAmb opted in to AI triage evaluation"),
        (5, "Data sharing agreement is due in 7 days"),
        (1, "Decide by 1 June: Common vehicle specification"),
    ):
        NotificationFactory(
            recipient=lead_of_las,
            title=title,
            url=f"/trusts/{las.slug}/",
            created_at=now - datetime.timedelta(hours=hours),
        )
    return lead_of_las


def test_a_lead_reads_notifications_and_chooses_a_daily_digest(portal, told_lead):
    page = portal.page
    _sign_in(portal, told_lead.email)

    # The header says how many are unread: seen as "(3)", heard as "3 unread".
    link = _notifications_link(page)
    expect(link).to_have_accessible_name("Notifications 3 unread")
    expect(link.locator("[aria-hidden=true]")).to_have_text("(3)")
    portal.assert_accessible()

    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.get_by_test_id("notification")).to_have_count(3)
    expect(page.get_by_test_id("notification").first).to_contain_text(
        "New Decide by 1 June: Common vehicle specification"
    )
    expect(page.locator(".nhsuk-tag", has_text="New")).to_have_count(3)
    portal.assert_accessible()

    # Opening one lands on its page and counts it read.
    page.get_by_role("link", name="Data sharing agreement is due in 7 days").click()
    expect(page).to_have_url(re.compile(r"/trusts/las/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "London Ambulance Service NHS Trust"
    )
    expect(_notifications_link(page)).to_have_accessible_name("Notifications 2 unread")

    _notifications_link(page).click()
    expect(page.locator(".nhsuk-tag", has_text="New")).to_have_count(2)
    page.get_by_role("button", name="Mark all as read").click()
    expect(_success_banner(page)).to_contain_text("2 notifications marked as read.")
    expect(page.locator(".nhsuk-tag", has_text="New")).to_have_count(0)
    expect(page.get_by_role("button", name="Mark all as read")).to_have_count(0)
    expect(_notifications_link(page)).to_have_accessible_name("Notifications")
    portal.assert_accessible()

    # Emails about decisions: one daily digest instead of one email each.
    page.get_by_role("link", name="Choose how often we email you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How often we email you")
    decisions = page.get_by_role("group", name=NotificationCategory.DECISIONS.label)
    expect(decisions.get_by_label("Email me straight away")).to_be_checked()
    portal.assert_accessible()
    decisions.get_by_label(DAILY).check()
    page.get_by_role("button", name="Save my choices").click()
    expect(_success_banner(page)).to_contain_text("Your email choices are saved.")
    decisions = page.get_by_role("group", name=NotificationCategory.DECISIONS.label)
    expect(decisions.get_by_label(DAILY)).to_be_checked()
    portal.assert_accessible()
    assert NotificationPreference.objects.get(person=told_lead).frequency == EmailFrequency.DAILY

    assert len(portal.checked_urls) == 5


def test_the_unsubscribe_link_works_without_signing_in(portal, lead_of_las):
    page = portal.page
    token = unsubscribe_token(lead_of_las, NotificationCategory.COMMITMENTS)

    portal.goto(reverse("notifications:unsubscribe", args=[token]))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Stop emails about commitments due, overdue, accepted or sent back?"
    )
    portal.assert_accessible()

    page.get_by_role("button", name="Stop these emails").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You will no longer get emails about commitments due, overdue, accepted or sent back"
    )
    portal.assert_accessible()
    assert NotificationPreference.objects.get(person=lead_of_las).frequency == (
        EmailFrequency.IN_APP
    )

    portal.goto(reverse("notifications:unsubscribe", args=["forged"]))
    expect(page.get_by_role("heading", level=1)).to_have_text("This unsubscribe link does not work")
    portal.assert_accessible()


def test_the_centre_preferences_and_unsubscribe_pages_fit_a_phone(phone, told_lead):
    page = phone.page
    _sign_in(phone, told_lead.email)

    phone.goto(reverse("notifications:list"))
    expect(page.get_by_test_id("notification")).to_have_count(3)
    _assert_no_sideways_scrolling(page)
    phone.assert_accessible()

    phone.goto(reverse("notifications:preferences"))
    expect(page.get_by_role("heading", level=1)).to_have_text("How often we email you")
    _assert_no_sideways_scrolling(page)
    phone.assert_accessible()

    token = unsubscribe_token(told_lead, NotificationCategory.REQUESTS)
    phone.goto(reverse("notifications:unsubscribe", args=[token]))
    expect(page.get_by_role("button", name="Stop these emails")).to_be_visible()
    _assert_no_sideways_scrolling(page)
    phone.assert_accessible()
