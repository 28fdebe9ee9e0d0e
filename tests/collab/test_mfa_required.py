"""With MFA required, leads and admins are sent to set it up before they reach anything else."""

import pytest
from allauth.mfa.models import Authenticator
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
