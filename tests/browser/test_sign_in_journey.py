"""The main journey of the foundation: a trust lead signs in, meets MFA, reaches the dashboard."""

import re
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(portal, email: str, password: str) -> None:
    portal.page.get_by_label("Email").fill(email)
    portal.page.get_by_label("Password").fill(password)
    portal.page.get_by_role("button", name="Sign in", exact=True).click()


def _current_totp(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def test_a_lead_signs_in_sets_up_mfa_and_sees_the_dashboard(portal, settings, lead_of_las):
    settings.PORTAL_MFA_REQUIRED = True
    page = portal.page

    portal.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    portal.assert_accessible()

    # A wrong password: the error is shown, the email address kept, and the page still passes.
    _sign_in(portal, lead_of_las.email, "not-the-password")
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value(lead_of_las.email)
    portal.assert_accessible()

    _sign_in(portal, lead_of_las.email, PASSWORD)
    # The lead holds an elevated role, so every page sends them to the MFA set-up first.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/$"))
    portal.assert_accessible()
    portal.goto("/trusts/las/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/$"))

    portal.goto("/accounts/2fa/totp/activate/")
    portal.assert_accessible()
    secret = "".join(page.locator("#authenticator_secret").inner_text().split())
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret)

    page.get_by_label("Authenticator code").fill("000000")
    page.get_by_role("button", name=re.compile("Activate|Turn on", re.I)).click()
    expect(page.locator(".nhsuk-error-message")).to_be_visible()
    portal.assert_accessible()

    page.get_by_label("Authenticator code").fill(_current_totp(secret))
    page.get_by_role("button", name=re.compile("Activate|Turn on", re.I)).click()
    expect(page.locator(".nhsuk-error-message")).to_have_count(0)
    assert Authenticator.objects.filter(user=lead_of_las, type="totp").exists()

    portal.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your dashboard")
    expect(page.get_by_test_id("home-trust")).to_contain_text("London Ambulance Service NHS Trust")
    expect(page.get_by_test_id("collaboration")).to_contain_text(
        "Southern Ambulance Services Collaboration"
    )
    expect(page.get_by_test_id("signed-in-person")).to_contain_text("LAS")
    portal.assert_accessible()
    assert len(portal.checked_urls) == 6


def test_staff_use_the_portal_on_a_phone(phone, staff_of_las):
    page = phone.page
    phone.goto("/accounts/login/")
    _sign_in(phone, staff_of_las.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your dashboard")
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    phone.assert_accessible()

    phone.goto("/trusts/las/")
    expect(page.get_by_test_id("people")).to_contain_text("Staff Las")
    phone.assert_accessible()
    phone.goto("/collaborations/southern/")
    expect(page.get_by_test_id("members")).to_contain_text("RYD")
    phone.assert_accessible()


def test_an_admin_invites_a_person_who_then_creates_their_account(
    portal, admin_of_southern, las, mailoutbox
):
    page = portal.page
    portal.goto("/accounts/login/")
    _sign_in(portal, admin_of_southern.email, PASSWORD)
    portal.goto("/trusts/las/")
    page.get_by_role("link", name="Invite someone to LAS").click()
    portal.assert_accessible()

    # Bad input first: the errors sit next to their fields and what was typed stays.
    page.get_by_label("Full name").fill("Alex Morgan")
    page.get_by_label("Email address").fill("alex.morgan@")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator("#id_email-error")).to_be_visible()
    expect(page.get_by_label("Full name")).to_have_value("Alex Morgan")
    assert page.title().startswith("Error: ")
    portal.assert_accessible()

    page.get_by_label("Email address").fill("alex.morgan@lond-amb.nhs.uk")
    page.get_by_label(re.compile("Trust lead")).check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_test_id("invitations")).to_contain_text("alex.morgan@lond-amb.nhs.uk")
    portal.assert_accessible()

    link = re.search(r"https?://\S+/invitations/\S+/", mailoutbox[0].body).group(0)
    page.get_by_role("button", name="Sign out").click()
    portal.goto(urlsplit(link).path)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Create your account")
    portal.assert_accessible()
    page.get_by_label("Create a password").fill("Ambulance-bay-4-rota")
    page.get_by_label("Type the password again").fill("Ambulance-bay-4-rota")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your dashboard")
    expect(page.get_by_test_id("roles")).to_contain_text("Trust lead")
    portal.assert_accessible()
