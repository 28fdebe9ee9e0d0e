"""Inviting a person to a trust, and the person accepting: the way most accounts are made."""

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from collab.errors import AlreadyInvited, AlreadyRegistered, InvitationNotOpen
from collab.models import AuditEvent, Invitation, Role, User
from collab.services import invitation_accept, invitation_create, invitation_revoke

NEW_PASSWORD = "Ambulance-bay-4-rota"


@pytest.fixture
def invitation(las, admin_of_southern, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return invitation_create(
            trust=las,
            email="Jo.Bloggs@Example.org",
            full_name="Jo Bloggs",
            role=Role.TRUST_LEAD,
            invited_by=admin_of_southern,
        )


def test_an_invitation_is_emailed_once_with_its_link(invitation):
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jo.bloggs@example.org"]
    assert f"/invitations/{invitation.key}/" in message.body
    assert "London Ambulance Service NHS Trust" in message.body
    invitation.refresh_from_db()
    assert invitation.emailed_at is not None


def test_an_invitation_expires_after_fourteen_days(invitation):
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=14)


def test_creating_an_invitation_is_audited(invitation, admin_of_southern):
    event = AuditEvent.objects.get(action="invitation.created")
    assert event.actor == admin_of_southern
    assert event.trust == invitation.trust
    assert event.after["email"] == "jo.bloggs@example.org"


def test_a_second_open_invitation_to_the_same_address_is_refused(invitation, las, site_admin):
    with pytest.raises(AlreadyInvited):
        invitation_create(
            trust=las,
            email="jo.bloggs@example.org",
            full_name="Jo",
            role=Role.STAFF,
            invited_by=site_admin,
        )
    assert Invitation.objects.count() == 1


def test_an_expired_invitation_can_be_replaced(invitation, las, site_admin):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    replacement = invitation_create(
        trust=las,
        email="jo.bloggs@example.org",
        full_name="Jo",
        role=Role.STAFF,
        invited_by=site_admin,
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert replacement.is_open()


def test_a_person_with_an_account_is_not_invited(las, staff_of_las, site_admin):
    with pytest.raises(AlreadyRegistered):
        invitation_create(
            trust=las,
            email=staff_of_las.email.upper(),
            full_name="Again",
            role=Role.STAFF,
            invited_by=site_admin,
        )


def test_the_invite_form_keeps_what_was_typed_and_says_what_is_wrong(
    client, las, admin_of_southern, invitation
):
    client.force_login(admin_of_southern)
    response = client.post(
        reverse("invitation_new", args=[las.slug]),
        {"full_name": "Jo Bloggs", "email": "jo.bloggs@example.org", "role": Role.STAFF},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Jo Bloggs"' in html
    assert 'value="jo.bloggs@example.org"' in html
    assert "Revoke that invitation first" in html
    assert 'id="id_email-error"' in html
    assert html.count("<title>Error: ") == 1


def test_the_invite_form_rejects_a_malformed_address_next_to_the_field(
    client, las, admin_of_southern
):
    client.force_login(admin_of_southern)
    response = client.post(
        reverse("invitation_new", args=[las.slug]),
        {"full_name": "Jo Bloggs", "email": "not-an-address", "role": "staff"},
    )
    assert response.status_code == 400
    assert "Enter a valid email address" in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_invite_form_only_accepts_get_and_post(client, las, admin_of_southern):
    client.force_login(admin_of_southern)
    assert client.put(reverse("invitation_new", args=[las.slug])).status_code == 405


def test_accepting_creates_the_account_with_trust_role_and_verified_email(client, invitation, las):
    response = client.post(
        reverse("invitation_accept", args=[invitation.key]),
        {"full_name": "Jo Bloggs", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    user = User.objects.get(email="jo.bloggs@example.org")
    assert user.home_trust == las
    assert user.leads_trust(las)
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("dashboard")).status_code == 200  # signed in
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert AuditEvent.objects.filter(action="invitation.accepted", actor=user).exists()


def test_mismatched_passwords_keep_the_name_and_create_nothing(client, invitation):
    response = client.post(
        reverse("invitation_accept", args=[invitation.key]),
        {"full_name": "Jo Bloggs", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
    )
    assert response.status_code == 400
    assert "The two passwords do not match." in response.content.decode()
    assert 'value="Jo Bloggs"' in response.content.decode()
    assert not User.objects.filter(email="jo.bloggs@example.org").exists()


def test_a_weak_password_is_refused(client, invitation):
    response = client.post(
        reverse("invitation_accept", args=[invitation.key]),
        {"full_name": "Jo Bloggs", "password1": "password", "password2": "password"},
    )
    assert response.status_code == 400
    assert re.search(r"too short|too common", response.content.decode())


@pytest.mark.parametrize("close", ["expire", "revoke", "accept"])
def test_a_closed_invitation_cannot_be_used(client, invitation, admin_of_southern, close):
    if close == "expire":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    elif close == "revoke":
        invitation_revoke(invitation=invitation, actor=admin_of_southern)
    else:
        invitation_accept(invitation=invitation, full_name="Jo", password=NEW_PASSWORD)
        client.logout()
    response = client.get(reverse("invitation_accept", args=[invitation.key]))
    assert response.status_code == 410
    with pytest.raises(InvitationNotOpen):
        invitation.refresh_from_db()
        invitation_accept(invitation=invitation, full_name="Jo", password=NEW_PASSWORD)


def test_an_unknown_invitation_key_answers_404(client, db):
    response = client.get(
        reverse("invitation_accept", args=["00000000-0000-4000-8000-000000000000"])
    )
    assert response.status_code == 404


def test_a_signed_in_person_is_told_to_sign_out_first(client, invitation, staff_of_las):
    client.force_login(staff_of_las)
    response = client.post(
        reverse("invitation_accept", args=[invitation.key]),
        {"full_name": "X", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 409
    assert not User.objects.filter(email="jo.bloggs@example.org").exists()


def test_an_accepted_invitation_cannot_be_revoked(invitation, admin_of_southern):
    invitation_accept(invitation=invitation, full_name="Jo", password=NEW_PASSWORD)
    with pytest.raises(InvitationNotOpen):
        invitation_revoke(invitation=invitation, actor=admin_of_southern)


def test_revoking_is_audited_and_shown_on_the_trust_page(client, invitation, admin_of_southern):
    client.force_login(admin_of_southern)
    client.post(reverse("invitation_revoke", args=[invitation.key]))
    assert AuditEvent.objects.filter(action="invitation.revoked", actor=admin_of_southern).exists()
    page = client.get(reverse("trust_detail", args=[invitation.trust.slug])).content.decode()
    assert "Revoked" in page


def test_revoke_needs_post(client, invitation, admin_of_southern):
    client.force_login(admin_of_southern)
    assert client.get(reverse("invitation_revoke", args=[invitation.key])).status_code == 405
