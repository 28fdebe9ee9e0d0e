"""Each project event tells the right people, in the transaction of the change, and once."""

import pytest
from django.db import transaction

from collab.models import Delivery, DeliveryStatus, Notification, Role
from projects.models import CommitmentStatus, ParticipationStatus
from projects.services import (
    commitment_review,
    commitment_update,
    late_join_request_create,
    late_join_request_decide,
    participation_decide,
    project_open,
    withdrawal_request_create,
    withdrawal_request_decide,
)
from tests.factories import RoleFactory
from tests.notifications.helpers import told

pytestmark = pytest.mark.django_db

LEADS = {"lead.las@example.org", "lead.secamb@example.org"}
ADMIN = {"admin.southern@example.org"}


def test_opening_a_project_tells_the_leads_of_member_trusts(
    draft_project, admin_of_southern, lead_of_las, lead_of_secamb, lead_of_yas
):
    project_open(project=draft_project, actor=admin_of_southern)

    assert told("project.opened") == LEADS
    notification = Notification.objects.get(recipient=lead_of_las, kind="project.opened")
    assert notification.url == draft_project.get_absolute_url()
    assert "London Ambulance Service NHS Trust" in notification.reason
    assert notification.group_label == draft_project.title
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 2


def test_a_failed_change_tells_nobody(draft_project, admin_of_southern, lead_of_las):
    with pytest.raises(RuntimeError), transaction.atomic():
        project_open(project=draft_project, actor=admin_of_southern)
        raise RuntimeError("the request failed after the service")

    assert Notification.objects.count() == 0
    assert Delivery.objects.count() == 0


def test_a_trust_deciding_tells_the_programme_admins_each_time(
    las_participation, lead_of_las, admin_of_southern
):
    for opt_in in (False, True):
        participation_decide(
            participation=las_participation,
            actor=lead_of_las,
            opt_in=opt_in,
            reason="Board view.",
            contact=lead_of_las,
            confirmed=True,
        )

    titles = list(
        Notification.objects.filter(kind="participation.decided")
        .order_by("created_at")
        .values_list("recipient__email", "title")
    )
    assert [email for email, _ in titles] == ["admin.southern@example.org"] * 2
    assert "opted out of" in titles[0][1] and "opted in to" in titles[1][1]


def test_a_project_starting_tells_the_people_named_in_committed_trusts(
    active_project, lead_of_las, lead_of_secamb, admin_of_southern
):
    # LAS committed, with its lead as contact; SECAmb did not join.
    assert told("project.started") == {"lead.las@example.org"}


def test_the_person_who_acts_is_not_told_about_their_own_change(
    draft_project, admin_of_southern, lead_of_las, lead_of_secamb, secamb
):
    # The programme admin also leads SECAmb, and opens the project.
    RoleFactory(user=admin_of_southern, role=Role.TRUST_LEAD, trust=secamb)

    project_open(project=draft_project, actor=admin_of_southern)

    assert told("project.opened") == LEADS


def test_accepting_or_sending_back_tells_the_owner_and_trust_lead_each_time(
    active_project, lead_of_las, staff_of_las, las, admin_of_southern
):
    commitment = active_project.participations.get(trust=las).commitments.first()
    for accept in (False, True):
        commitment_update(
            commitment=commitment,
            actor=staff_of_las if accept else lead_of_las,
            status=CommitmentStatus.DONE,
            note="Done.",
            owner=staff_of_las,
        )
        commitment_review(
            commitment=commitment, actor=admin_of_southern, accept=accept, reason="Checked."
        )

    assert told("commitment.sent_back") == {"staff.las@example.org", "lead.las@example.org"}
    assert told("commitment.accepted") == {"staff.las@example.org", "lead.las@example.org"}


def test_withdrawal_asked_tells_admins_and_decided_tells_the_requester_and_leads(
    active_project_both, lead_of_secamb, las, secamb, admin_of_southern
):
    participation = active_project_both.participations.get(trust=secamb)
    request = withdrawal_request_create(
        participation=participation,
        actor=lead_of_secamb,
        reason="Budget cut.",
        impact="LAS pays more.",
    )
    assert told("withdrawal.requested") == ADMIN

    withdrawal_request_decide(
        request=request, actor=admin_of_southern, approve=True, reason="Understood."
    )
    assert told("withdrawal.decided") == {"lead.secamb@example.org"}
    decided = Notification.objects.get(kind="withdrawal.decided")
    assert decided.title.startswith("Approved:")
    assert "Understood." in decided.body


def test_late_join_asked_and_decided(active_project, secamb, lead_of_secamb, admin_of_southern):
    participation = active_project.participations.get(trust=secamb)
    assert participation.status == ParticipationStatus.NOT_JOINED
    request = late_join_request_create(
        participation=participation,
        actor=lead_of_secamb,
        reason="New funding.",
        contact=lead_of_secamb,
        confirmed=True,
    )
    assert told("late_join.requested") == ADMIN
    assert Notification.objects.get(kind="late_join.requested").url == request.get_decide_url()

    late_join_request_decide(
        request=request, actor=admin_of_southern, approve=False, reason="Full."
    )
    assert told("late_join.decided") == {"lead.secamb@example.org"}


def test_deactivated_people_are_told_nothing(
    draft_project, admin_of_southern, lead_of_las, lead_of_secamb
):
    lead_of_las.is_active = False
    lead_of_las.save()

    project_open(project=draft_project, actor=admin_of_southern)

    assert told("project.opened") == {"lead.secamb@example.org"}
