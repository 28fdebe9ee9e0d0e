"""Self sign-up only for work addresses of a trust; SSO users land in their domain's trust."""

import pytest
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from collab.adapters import PortalSocialAccountAdapter
from collab.errors import NoTrustForEmail
from collab.models import AuditEvent, User

PASSWORD = "Ambulance-bay-4-rota"


def _sign_up(client, email):
    return client.post(
        reverse("account_signup"),
        {
            "full_name": "Sam Carter",
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def test_a_work_address_of_a_trust_signs_up_as_staff_of_that_trust(client, las):
    response = _sign_up(client, "sam.carter@lond-amb.nhs.uk")
    assert response.status_code == 302
    user = User.objects.get(email="sam.carter@lond-amb.nhs.uk")
    assert user.full_name == "Sam Carter"
    assert user.home_trust == las
    assert [a.role for a in user.role_assignments.all()] == ["staff"]
    assert AuditEvent.objects.filter(action="person.joined_by_email_domain", actor=user).exists()


def test_sign_up_needs_email_verification_before_signing_in(client, las):
    response = _sign_up(client, "sam.carter@lond-amb.nhs.uk")
    assert response.url == reverse("account_email_verification_sent")
    assert client.get(reverse("dashboard")).status_code == 302


def test_an_address_of_no_trust_is_refused_next_to_the_field(client, las):
    response = _sign_up(client, "sam@gmail.com")
    assert response.status_code == 200  # allauth re-renders the form
    html = response.content.decode()
    assert "Use your work email address" in html
    assert 'value="Sam Carter"' in html
    assert not User.objects.filter(email="sam@gmail.com").exists()


def _sociallogin(email: str) -> SocialLogin:
    user = User(email=email, full_name="")
    account = SocialAccount(provider="entra-las", uid="abc-123", extra_data={"email": email})
    return SocialLogin(user=user, account=account, email_addresses=[])


def test_sso_sign_up_is_open_only_for_a_trust_domain(las, rf: RequestFactory):
    adapter = PortalSocialAccountAdapter()
    assert adapter.is_open_for_signup(rf.get("/"), _sociallogin("pat@lond-amb.nhs.uk"))
    assert not adapter.is_open_for_signup(rf.get("/"), _sociallogin("pat@outlook.com"))


def test_an_sso_user_lands_in_the_trust_that_owns_their_domain(las, yas, rf: RequestFactory):
    adapter = PortalSocialAccountAdapter()
    sociallogin = _sociallogin("pat.jones@yas.nhs.uk")
    adapter.populate_user(
        rf.get("/"), sociallogin, {"email": "pat.jones@yas.nhs.uk", "name": "Pat Jones"}
    )
    request = rf.get("/")
    request.session = {}
    user = adapter.save_user(request, sociallogin)
    user.refresh_from_db()
    assert user.home_trust == yas
    assert user.full_name == "Pat Jones"
    assert user.role_assignments.get().role == "staff"


def test_an_sso_user_of_no_trust_is_not_kept(db, rf: RequestFactory):
    adapter = PortalSocialAccountAdapter()
    sociallogin = _sociallogin("pat@outlook.com")
    request = rf.get("/")
    request.session = {}
    with pytest.raises(NoTrustForEmail):
        adapter.save_user(request, sociallogin)
    assert not User.objects.filter(email="pat@outlook.com").exists()


def test_password_reset_works_for_an_address_outside_any_trust_domain(client, staff_of_las):
    # staff_of_las signs in with an example.org address, which no trust owns.
    response = client.post(reverse("account_reset_password"), {"email": staff_of_las.email})
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[staff_of_las.email]]
