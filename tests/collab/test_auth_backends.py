"""The signed-in person is loaded with their home trust, whichever backend signed them in:
the header of every page names the trust, and every audited change records it."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.urls import reverse

from collab.auth_backends import PortalAuthenticationBackend, PortalModelBackend

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("backend", [PortalModelBackend, PortalAuthenticationBackend])
def test_the_person_comes_with_their_home_trust_in_one_query(
    backend, staff_of_las, django_assert_num_queries
):
    with django_assert_num_queries(1):
        person = backend().get_user(staff_of_las.pk)
        assert person.home_trust.short_name == "LAS"


@pytest.mark.parametrize("backend", [PortalModelBackend, PortalAuthenticationBackend])
def test_a_deactivated_or_missing_person_is_nobody(backend, staff_of_las):
    staff_of_las.is_active = False
    staff_of_las.save()
    assert backend().get_user(staff_of_las.pk) is None
    assert backend().get_user(999_999) is None


def test_a_person_without_a_trust_is_still_signed_in(site_admin):
    assert PortalModelBackend().get_user(site_admin.pk) == site_admin


def test_signing_in_through_the_sign_in_page_uses_a_portal_backend(client, staff_of_las):
    staff_of_las.set_password("a long enough password")
    staff_of_las.save()
    response = client.post(
        reverse("account_login"),
        {"login": staff_of_las.email, "password": "a long enough password"},
    )
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] in {
        "collab.auth_backends.PortalModelBackend",
        "collab.auth_backends.PortalAuthenticationBackend",
    }
    page = client.get(reverse("dashboard")).content.decode()
    assert "LAS" in page
