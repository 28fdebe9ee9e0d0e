"""The audit trail cannot be rewritten; the Django admin is for site admins, through allauth."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from collab.audit import audit_record
from collab.models import AuditEvent


def test_an_audit_event_cannot_be_changed_or_deleted(las, staff_of_las):
    event = audit_record(actor=staff_of_las, action="test.recorded", target=las, trust=las)
    event.reason = "rewritten"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_the_admin_signs_in_through_allauth(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "name",
    [
        "collab_trust_changelist",
        "collab_collaboration_changelist",
        "collab_user_changelist",
        "collab_auditevent_changelist",
        "collab_invitation_changelist",
    ],
)
def test_a_site_admin_manages_the_core_in_the_admin(client, site_admin, southern, name):
    client.force_login(site_admin)
    response = client.get(reverse(f"admin:{name}"), {"q": "LAS"})
    assert response.status_code == 200


def test_a_site_admin_can_open_a_trust_to_edit_it(client, site_admin, las):
    client.force_login(site_admin)
    assert client.get(reverse("admin:collab_trust_change", args=[las.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["lead_of_las", "admin_of_southern", "staff_of_las"])
def test_nobody_else_reaches_the_admin(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("admin:collab_trust_changelist"))
    assert response.status_code == 302
    assert "login" in response.url


def test_audit_events_are_read_only_in_the_admin(client, site_admin, las):
    event = audit_record(actor=site_admin, action="test.recorded", target=las)
    client.force_login(site_admin)
    response = client.post(
        reverse("admin:collab_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_change_made_in_the_admin_is_audited_with_before_and_after(client, site_admin, las):
    client.force_login(site_admin)
    domain = las.email_domains.get()
    response = client.post(
        reverse("admin:collab_trust_change", args=[las.pk]),
        {
            "name": las.name,
            "short_name": las.short_name,
            "slug": las.slug,
            "ods_code": las.ods_code,
            "nation": las.nation,
            "region": "London and the Home Counties",
            "email_domains-TOTAL_FORMS": "2",
            "email_domains-INITIAL_FORMS": "1",
            "email_domains-MIN_NUM_FORMS": "0",
            "email_domains-MAX_NUM_FORMS": "1000",
            "email_domains-0-id": str(domain.pk),
            "email_domains-0-trust": str(las.pk),
            "email_domains-0-domain": domain.domain,
            "email_domains-1-trust": str(las.pk),
            "email_domains-1-domain": "londonambulance.nhs.uk",
        },
    )
    assert response.status_code == 302
    trust_event = AuditEvent.objects.get(action="admin.trust.changed")
    assert trust_event.actor == site_admin
    assert trust_event.before["region"] == "London"
    assert trust_event.after["region"] == "London and the Home Counties"
    domain_event = AuditEvent.objects.get(action="admin.trustemaildomain.added")
    assert domain_event.trust == las
    assert domain_event.after["domain"] == "londonambulance.nhs.uk"


def test_the_audit_trail_never_holds_a_password_hash(client, site_admin, staff_of_las):
    client.force_login(site_admin)
    client.post(reverse("admin:collab_user_delete", args=[staff_of_las.pk]), {"post": "yes"})
    event = AuditEvent.objects.get(action="admin.user.deleted")
    assert event.before["email"] == "staff.las@example.org"
    assert "password" not in event.before
