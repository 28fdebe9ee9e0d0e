"""With MFA required, leads and admins are sent to set it up before they reach anything else."""

import time

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


@pytest.fixture
def mfa_required(settings):
    settings.PORTAL_MFA_REQUIRED = True


@pytest.mark.parametrize("persona", ["lead_of_las", "admin_of_southern", "site_admin"])
def test_elevated_roles_are_sent_to_mfa_set_up(client, request, mfa_required, persona, las):
    client.force_login(request.getfixturevalue(persona))
    for url in (
        reverse("dashboard"),
        reverse("trust_detail", args=[las.slug]),
        reverse("admin:index"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == reverse("mfa_index")


def test_the_mfa_pages_themselves_stay_reachable(client, mfa_required, lead_of_las):
    client.force_login(lead_of_las)
    assert client.get(reverse("mfa_index")).status_code == 200


def test_staff_are_not_asked_for_mfa(client, mfa_required, staff_of_las):
    client.force_login(staff_of_las)
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_lead_with_an_authenticator_app_gets_through(client, mfa_required, lead_of_las):
    Authenticator.objects.create(
        user=lead_of_las, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    client.force_login(lead_of_las)
    assert client.get(reverse("dashboard")).status_code == 200


def test_recovery_codes_alone_do_not_count(client, mfa_required, lead_of_las):
    Authenticator.objects.create(
        user=lead_of_las,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": "00", "used_mask": 0},
    )
    client.force_login(lead_of_las)
    assert client.get(reverse("dashboard")).status_code == 302


def test_when_the_setting_is_off_nobody_is_redirected(client, settings, lead_of_las):
    settings.PORTAL_MFA_REQUIRED = False
    client.force_login(lead_of_las)
    assert client.get(reverse("dashboard")).status_code == 200


def _sign_in_with_totp(client, person, secret: str) -> None:
    """Email and password, then the authenticator app's code, as a person signs in."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    answer = client.post(
        reverse("account_login"), {"login": person.email, "password": "correct horse battery"}
    )
    assert answer.status_code == 302 and "2fa/authenticate" in answer.url
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    answer = client.post(answer.url, {"code": code})
    assert answer.status_code == 302, answer.content.decode()[:500]


def _asks_for_authenticators(queries) -> bool:
    return any("mfa_authenticator" in query["sql"] for query in queries)


def test_a_session_signed_in_with_mfa_is_not_asked_again_until_it_removes_its_app(
    client, mfa_required, lead_of_las
):
    secret = "JBSWY3DPEHPK3PXP"
    lead_of_las.set_password("correct horse battery")
    lead_of_las.save()
    Authenticator.objects.create(
        user=lead_of_las, type=Authenticator.Type.TOTP, data={"secret": secret}
    )
    _sign_in_with_totp(client, lead_of_las, secret)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboard")).status_code == 200
    assert not _asks_for_authenticators(queries.captured_queries)

    assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    assert not Authenticator.objects.filter(user=lead_of_las, type="totp").exists()
    response = client.get(reverse("dashboard"))
    assert (response.status_code, response.url) == (302, reverse("mfa_index"))


def test_a_session_signed_in_without_mfa_is_still_checked(client, mfa_required, lead_of_las):
    Authenticator.objects.create(
        user=lead_of_las, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    client.force_login(lead_of_las)  # no sign-in record in the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboard")).status_code == 200
    assert _asks_for_authenticators(queries.captured_queries)
