"""Tenant boundaries: each persona reads and changes only what is theirs.

Another tenant's object answers 404, exactly like one that does not exist; an object the person
may see but not change answers 403.
"""

import pytest
from django.urls import reverse

from collab.models import Invitation, Role
from collab.services import invitation_create

INVITE = {"full_name": "New Paramedic", "email": "new.paramedic@example.org", "role": Role.STAFF}


@pytest.fixture
def las_invitation(las, admin_of_southern):
    return invitation_create(
        trust=las,
        email="waiting@example.org",
        full_name="Waiting Person",
        role=Role.STAFF,
        invited_by=admin_of_southern,
    )


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def _post(client, user, url, data=None):
    client.force_login(user)
    return client.post(url, data or {})


# --- the trust page of LAS (trust A) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("lead_of_las", 200),
        ("staff_of_las", 200),
        ("admin_of_southern", 200),
        ("site_admin", 200),
        ("lead_of_yas", 404),
        ("admin_of_northern", 404),
    ],
)
def test_the_las_trust_page_is_seen_only_by_its_people_and_its_admins(
    client, request, las, persona, expected
):
    user = request.getfixturevalue(persona)
    response = _get(client, user, reverse("trust_detail", args=[las.slug]))
    assert response.status_code == expected


def test_a_trust_that_does_not_exist_answers_like_another_tenants(client, lead_of_yas, las):
    missing = _get(client, lead_of_yas, reverse("trust_detail", args=["no-such-trust"]))
    foreign = _get(client, lead_of_yas, reverse("trust_detail", args=[las.slug]))
    assert missing.status_code == foreign.status_code == 404


# --- inviting people to LAS ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("lead_of_las", 403),
        ("staff_of_las", 403),
        ("lead_of_yas", 404),
        ("admin_of_northern", 404),
    ],
)
def test_only_admins_of_a_collaboration_of_las_can_invite_to_it(
    client, request, las, persona, expected
):
    user = request.getfixturevalue(persona)
    url = reverse("invitation_new", args=[las.slug])
    assert _get(client, user, url).status_code == expected
    assert _post(client, user, url, INVITE).status_code == expected
    assert not Invitation.objects.filter(email=INVITE["email"]).exists()


@pytest.mark.parametrize("persona", ["admin_of_southern", "site_admin"])
def test_admins_of_las_can_invite_to_it(client, request, las, persona):
    user = request.getfixturevalue(persona)
    response = _post(client, user, reverse("invitation_new", args=[las.slug]), INVITE)
    assert response.status_code == 302
    assert Invitation.objects.get(email=INVITE["email"]).trust == las


# --- revoking an invitation to LAS ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("lead_of_las", 403),  # sees the trust's invitations, may not revoke them
        ("staff_of_las", 404),  # does not see invitations at all
        ("lead_of_yas", 404),
        ("admin_of_northern", 404),
    ],
)
def test_only_admins_of_las_can_revoke_its_invitations(
    client, request, las_invitation, persona, expected
):
    user = request.getfixturevalue(persona)
    response = _post(client, user, reverse("invitation_revoke", args=[las_invitation.key]))
    assert response.status_code == expected
    las_invitation.refresh_from_db()
    assert las_invitation.revoked_at is None


def test_the_admin_of_southern_revokes_an_invitation_to_las(
    client, admin_of_southern, las_invitation
):
    response = _post(
        client, admin_of_southern, reverse("invitation_revoke", args=[las_invitation.key])
    )
    assert response.status_code == 302
    las_invitation.refresh_from_db()
    assert las_invitation.revoked_by == admin_of_southern


# --- the Southern collaboration page (collaboration X) -------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("lead_of_las", 200),
        ("staff_of_las", 200),
        ("admin_of_southern", 200),
        ("site_admin", 200),
        ("lead_of_yas", 404),
        ("admin_of_northern", 404),
    ],
)
def test_the_southern_page_is_seen_by_its_members_and_admins_only(
    client, request, southern, persona, expected
):
    user = request.getfixturevalue(persona)
    response = _get(client, user, reverse("collaboration_detail", args=[southern.slug]))
    assert response.status_code == expected


def test_a_trust_that_left_a_collaboration_no_longer_sees_it(client, staff_of_las, southern, las):
    membership = southern.memberships.get(trust=las)
    membership.left_on = membership.joined_on
    membership.save()
    response = _get(client, staff_of_las, reverse("collaboration_detail", args=[southern.slug]))
    assert response.status_code == 404


# --- signed out ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["dashboard", "trust_detail", "collaboration_detail"])
def test_signed_out_people_are_sent_to_sign_in(client, las, southern, name):
    args = {"trust_detail": [las.slug], "collaboration_detail": [southern.slug]}.get(name, [])
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
