"""A trust that joins the collaboration after a project opened can still ask to join it late."""

from django.urls import reverse

from collab.models import Role
from projects.models import LateJoinRequest, ParticipationStatus
from tests.factories import MembershipFactory, RoleFactory, TrustFactory, UserFactory


def _newcomer_lead(southern):
    trust = TrustFactory(short_name="SCAS", slug="scas", ods_code="RYE")
    MembershipFactory(collaboration=southern, trust=trust)
    lead = UserFactory(email="lead.scas@example.org", full_name="Lead Scas", home_trust=trust)
    RoleFactory(user=lead, role=Role.TRUST_LEAD, trust=trust)
    return trust, lead


def test_a_trust_that_joined_the_collaboration_later_can_ask_to_join_an_active_project(
    client, southern, active_project
):
    trust, lead = _newcomer_lead(southern)
    client.force_login(lead)

    page = client.get(active_project.get_absolute_url())
    join_url = reverse("projects:join_late", args=[active_project.slug, "scas"])
    assert join_url in page.content.decode()

    response = client.post(
        join_url, {"reason": "We joined SASC in the spring.", "contact": lead.pk, "confirmed": "on"}
    )

    assert response.status_code == 302
    participation = active_project.participations.get(trust=trust)
    assert participation.status == ParticipationStatus.NOT_JOINED
    request = LateJoinRequest.objects.get(participation=participation)
    assert request.reason == "We joined SASC in the spring."


def test_a_refused_late_join_form_leaves_no_participation_behind(client, southern, active_project):
    trust, lead = _newcomer_lead(southern)
    client.force_login(lead)

    response = client.post(
        reverse("projects:join_late", args=[active_project.slug, "scas"]),
        {"reason": "We joined SASC in the spring.", "contact": lead.pk},
    )

    assert response.status_code == 400
    assert "We joined SASC in the spring." in response.content.decode()
    assert not active_project.participations.filter(trust=trust).exists()


def test_a_trust_outside_the_collaboration_cannot_ask_to_join(client, active_project, lead_of_yas):
    client.force_login(lead_of_yas)

    response = client.get(reverse("projects:join_late", args=[active_project.slug, "yas"]))

    assert response.status_code == 404
