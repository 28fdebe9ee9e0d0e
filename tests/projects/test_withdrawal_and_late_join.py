"""Once a project is active, trusts leave and join through requests the programme admins decide."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from collab.audit import audit_context
from collab.dates import long_date
from collab.models import Role
from projects.errors import RequestRefused
from projects.models import (
    Commitment,
    CommitmentStatus,
    FundingModel,
    ParticipationStatus,
    RequestStatus,
)
from projects.services import (
    late_join_request_create,
    late_join_request_decide,
    participation_decide,
    project_close,
    project_open,
    project_start,
    project_update_terms,
    withdrawal_request_create,
    withdrawal_request_decide,
)
from tests.factories import MembershipFactory, RoleFactory, TrustFactory, UserFactory
from tests.projects.helpers import db_state, events_for, noon, refused


@pytest.fixture
def scas(southern):
    trust = TrustFactory(short_name="SCAS", slug="scas", ods_code="RYE")
    MembershipFactory(collaboration=southern, trust=trust, joined_on=datetime.date(2020, 4, 1))
    return trust


@pytest.fixture
def lead_of_scas(scas):
    user = UserFactory(email="lead.scas@example.org", full_name="Lead Scas", home_trust=scas)
    RoleFactory(user=user, role=Role.TRUST_LEAD, trust=scas)
    return user


def _opt_in(participation, lead):
    participation_decide(
        participation=participation,
        actor=lead,
        opt_in=True,
        reason="We are in.",
        contact=lead,
        confirmed=True,
    )


@pytest.fixture
def active_three(scas, lead_of_scas, draft_project, admin_of_southern, lead_of_las, lead_of_secamb):
    """Active, with LAS, SECAmb and SCAS committed: £120,000 shared three ways."""
    project = project_open(project=draft_project, actor=admin_of_southern)
    for lead in (lead_of_las, lead_of_secamb, lead_of_scas):
        _opt_in(project.participations.get(trust=lead.home_trust), lead)
    return project_start(project=project, actor=admin_of_southern)


def _participation(project, short_name):
    return project.participations.get(trust__short_name=short_name)


def _ask_to_withdraw(participation, lead):
    return withdrawal_request_create(
        participation=participation,
        actor=lead,
        reason="Our capital budget was cut.",
        impact="The others pay more.",
    )


def _ask_to_join(participation, lead, contact=None):
    return late_join_request_create(
        participation=participation,
        actor=lead,
        reason="The board has found the money.",
        contact=contact or lead,
        confirmed=True,
    )


# --- Asking to withdraw ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "impact", "field", "message"),
    [
        ("  ", "Others pay more.", "reason", "Say why your trust wants to withdraw."),
        ("Budget cut.", "", "impact", "Say what withdrawing means"),
    ],
    ids=["no-reason", "no-impact"],
)
def test_a_withdrawal_request_needs_a_reason_and_its_impact(
    active_project_both, lead_of_las, reason, impact, field, message
):
    with refused(RequestRefused, match=message, field=field):
        withdrawal_request_create(
            participation=_participation(active_project_both, "LAS"),
            actor=lead_of_las,
            reason=reason,
            impact=impact,
        )


def test_withdrawal_requests_are_only_for_active_projects(las_participation, lead_of_las):
    _opt_in(las_participation, lead_of_las)
    with refused(RequestRefused, match="Withdrawal requests are for active projects"):
        _ask_to_withdraw(las_participation, lead_of_las)


def test_only_a_committed_trust_can_ask_to_withdraw(active_project, lead_of_secamb):
    with refused(RequestRefused, match="Your trust is not committed to this project."):
        _ask_to_withdraw(_participation(active_project, "SECAmb"), lead_of_secamb)


def test_a_trust_may_have_only_one_withdrawal_request_waiting(active_project_both, lead_of_las):
    participation = _participation(active_project_both, "LAS")
    _ask_to_withdraw(participation, lead_of_las)
    with refused(RequestRefused, match="Your trust has already asked to withdraw"):
        _ask_to_withdraw(participation, lead_of_las)


def test_asking_to_withdraw_is_recorded_and_changes_nothing_yet(
    active_project_both, lead_of_las, las
):
    participation = _participation(active_project_both, "LAS")
    request = withdrawal_request_create(
        participation=participation,
        actor=lead_of_las,
        reason="  Our capital budget was cut. ",
        impact=" The others pay more. ",
    )

    request.refresh_from_db()
    assert (request.status, request.requested_by) == (RequestStatus.PENDING, lead_of_las)
    assert (request.reason, request.impact) == (
        "Our capital budget was cut.",
        "The others pay more.",
    )
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.COMMITTED
    [event] = events_for(request)
    assert (event.action, event.actor, event.trust) == ("withdrawal.requested", lead_of_las, las)
    assert event.context == audit_context(active_project_both)
    assert event.after == {"impact": "The others pay more."}
    assert event.reason == "Our capital budget was cut."


# --- Deciding a withdrawal ------------------------------------------------------------------


def test_a_withdrawal_decision_needs_a_reason(active_project_both, lead_of_las, admin_of_southern):
    request = _ask_to_withdraw(_participation(active_project_both, "LAS"), lead_of_las)
    with refused(RequestRefused, match="Give the reason for the decision.", field="reason"):
        withdrawal_request_decide(
            request=request, actor=admin_of_southern, approve=True, reason=" "
        )


def test_an_approved_withdrawal_withdraws_the_trust_and_its_open_commitments(
    active_three, lead_of_secamb, admin_of_southern, secamb
):
    secamb_part = _participation(active_three, "SECAmb")
    delivered = secamb_part.commitments.first()
    delivered.status = CommitmentStatus.ACCEPTED
    delivered.save()
    others_before = list(
        Commitment.objects.filter(participation__project=active_three)
        .exclude(participation=secamb_part)
        .values("pk", "status")
    )
    request = _ask_to_withdraw(secamb_part, lead_of_secamb)

    withdrawal_request_decide(
        request=request, actor=admin_of_southern, approve=True, reason="  Understood. "
    )

    secamb_part.refresh_from_db()
    assert secamb_part.status == ParticipationStatus.WITHDRAWN
    assert secamb_part.withdrawn_at is not None
    statuses = dict(secamb_part.commitments.values_list("pk", "status"))
    assert statuses.pop(delivered.pk) == CommitmentStatus.ACCEPTED
    assert set(statuses.values()) == {CommitmentStatus.WITHDRAWN}
    # The other trusts' commitments are theirs still.
    assert others_before == list(
        Commitment.objects.filter(participation__project=active_three)
        .exclude(participation=secamb_part)
        .values("pk", "status")
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert (request.decided_by, request.decision_reason) == (admin_of_southern, "Understood.")
    assert request.decided_at is not None
    [event] = events_for(request, "withdrawal.approved")
    assert (event.actor, event.trust, event.reason) == (admin_of_southern, secamb, "Understood.")
    assert event.before == RequestStatus.PENDING
    assert event.after == {"status": RequestStatus.APPROVED, "share_changes": request.share_changes}


def test_an_approved_withdrawal_recomputes_the_shares_and_records_each_change(
    active_three, lead_of_secamb, admin_of_southern
):
    shares = {p.trust.short_name: p.cost_share for p in active_three.participations.all()}
    assert shares == {
        "LAS": Decimal("40000.00"),
        "SECAmb": Decimal("40000.00"),
        "SCAS": Decimal("40000.00"),
    }
    request = _ask_to_withdraw(_participation(active_three, "SECAmb"), lead_of_secamb)

    withdrawal_request_decide(request=request, actor=admin_of_southern, approve=True, reason="OK.")

    shares = {p.trust.short_name: p.cost_share for p in active_three.participations.all()}
    assert shares == {"LAS": Decimal("60000.00"), "SECAmb": None, "SCAS": Decimal("60000.00")}
    request.refresh_from_db()
    assert request.share_changes == {
        "LAS": {"before": "40000.00", "after": "60000.00"},
        "SCAS": {"before": "40000.00", "after": "60000.00"},
        "SECAmb": {"before": "40000.00", "after": None},
    }


def test_a_rejected_withdrawal_keeps_the_trust_and_everything_it_owes(
    active_project_both, lead_of_las, admin_of_southern, las
):
    request = _ask_to_withdraw(_participation(active_project_both, "LAS"), lead_of_las)
    before = db_state()

    withdrawal_request_decide(
        request=request, actor=admin_of_southern, approve=False, reason="We need you."
    )

    after = db_state()
    for table in ("projects.Participation", "projects.Commitment", "projects.JointProject"):
        assert after[table] == before[table]
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED
    assert request.share_changes == {}
    [event] = events_for(request, "withdrawal.rejected")
    assert (event.actor, event.trust, event.reason) == (admin_of_southern, las, "We need you.")


def test_after_a_rejection_the_trust_may_ask_again(
    active_project_both, lead_of_las, admin_of_southern
):
    participation = _participation(active_project_both, "LAS")
    first = _ask_to_withdraw(participation, lead_of_las)
    withdrawal_request_decide(request=first, actor=admin_of_southern, approve=False, reason="No.")
    second = _ask_to_withdraw(participation, lead_of_las)
    assert second.pk != first.pk
    assert second.status == RequestStatus.PENDING


def test_the_last_committed_trust_cannot_withdraw(active_project, lead_of_las, admin_of_southern):
    request = _ask_to_withdraw(_participation(active_project, "LAS"), lead_of_las)
    with refused(RequestRefused, match="This is the last committed trust; close the project"):
        withdrawal_request_decide(
            request=request, actor=admin_of_southern, approve=True, reason="OK."
        )


def test_the_lead_trust_of_a_lead_funded_project_cannot_withdraw(
    draft_project, admin_of_southern, lead_of_las, lead_of_secamb
):
    project_update_terms(
        project=draft_project, actor=admin_of_southern, funding_model=FundingModel.LEAD_TRUST_FUNDED
    )
    project = project_open(project=draft_project, actor=admin_of_southern)
    _opt_in(_participation(project, "LAS"), lead_of_las)
    _opt_in(_participation(project, "SECAmb"), lead_of_secamb)
    project_start(project=project, actor=admin_of_southern)
    request = _ask_to_withdraw(_participation(project, "LAS"), lead_of_las)

    with refused(RequestRefused, match="The lead trust funds this project"):
        withdrawal_request_decide(
            request=request, actor=admin_of_southern, approve=True, reason="OK."
        )


@pytest.mark.parametrize("first", [True, False], ids=["approved", "rejected"])
def test_a_withdrawal_request_cannot_be_decided_twice(
    active_project_both, lead_of_las, admin_of_southern, first
):
    request = _ask_to_withdraw(_participation(active_project_both, "LAS"), lead_of_las)
    withdrawal_request_decide(request=request, actor=admin_of_southern, approve=first, reason="X.")
    request.refresh_from_db()
    word = "approved" if first else "rejected"
    with refused(RequestRefused, match=f"already {word} on {long_date(request.decided_at)}."):
        withdrawal_request_decide(
            request=request, actor=admin_of_southern, approve=not first, reason="Changed."
        )


def test_a_withdrawal_cannot_be_approved_once_the_project_has_closed(
    active_project_both, lead_of_las, admin_of_southern
):
    request = _ask_to_withdraw(_participation(active_project_both, "LAS"), lead_of_las)
    project_close(project=active_project_both, actor=admin_of_southern, reason="Stopped.")
    with refused(
        RequestRefused, match="This project is closed, so the request cannot be approved."
    ):
        withdrawal_request_decide(
            request=request, actor=admin_of_southern, approve=True, reason="OK."
        )
    # It can still be answered, so it does not wait for ever.
    withdrawal_request_decide(
        request=request, actor=admin_of_southern, approve=False, reason="The project closed."
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED


# --- Asking to join late --------------------------------------------------------------------


def test_a_late_join_request_needs_a_reason(active_project, lead_of_secamb):
    with refused(RequestRefused, match="Say why your trust wants to join now.", field="reason"):
        late_join_request_create(
            participation=_participation(active_project, "SECAmb"),
            actor=lead_of_secamb,
            reason=" ",
            contact=lead_of_secamb,
            confirmed=True,
        )


def test_a_late_join_request_needs_the_trust_to_confirm(active_project, lead_of_secamb):
    with refused(RequestRefused, match="Confirm that your trust will see", field="confirmed"):
        late_join_request_create(
            participation=_participation(active_project, "SECAmb"),
            actor=lead_of_secamb,
            reason="We have the money now.",
            contact=lead_of_secamb,
            confirmed=False,
        )


def test_the_late_join_contact_must_be_someone_at_the_trust(
    active_project, lead_of_secamb, lead_of_las
):
    with refused(RequestRefused, match="must be someone at SECAmb", field="contact"):
        _ask_to_join(_participation(active_project, "SECAmb"), lead_of_secamb, contact=lead_of_las)


def test_the_late_join_contact_must_still_have_an_active_account(
    active_project, lead_of_secamb, secamb
):
    gone = UserFactory(email="gone@example.org", home_trust=secamb, is_active=False)
    with refused(RequestRefused, match="must be someone at SECAmb", field="contact"):
        _ask_to_join(_participation(active_project, "SECAmb"), lead_of_secamb, contact=gone)


def test_late_joining_is_only_for_active_projects(secamb_participation, lead_of_secamb):
    with refused(RequestRefused, match="Late joining is for active projects."):
        _ask_to_join(secamb_participation, lead_of_secamb)


def test_a_committed_trust_cannot_ask_to_join(active_project, lead_of_las):
    with refused(RequestRefused, match="Your trust is already in this project."):
        _ask_to_join(_participation(active_project, "LAS"), lead_of_las)


def test_a_trust_may_have_only_one_late_join_request_waiting(active_project, lead_of_secamb):
    participation = _participation(active_project, "SECAmb")
    _ask_to_join(participation, lead_of_secamb)
    with refused(RequestRefused, match="Your trust has already asked to join"):
        _ask_to_join(participation, lead_of_secamb)


def test_a_trust_that_opted_out_may_ask_to_join_late(
    open_project,
    las_participation,
    secamb_participation,
    lead_of_las,
    lead_of_secamb,
    admin_of_southern,
    secamb,
):
    _opt_in(las_participation, lead_of_las)
    participation_decide(
        participation=secamb_participation,
        actor=lead_of_secamb,
        opt_in=False,
        reason="Not now.",
        contact=None,
    )
    project_start(project=open_project, actor=admin_of_southern)

    request = _ask_to_join(secamb_participation, lead_of_secamb)

    assert request.status == RequestStatus.PENDING
    [event] = events_for(request)
    assert (event.action, event.actor, event.trust) == (
        "late_join.requested",
        lead_of_secamb,
        secamb,
    )
    assert event.context == audit_context(open_project)
    assert event.after == {"contact": lead_of_secamb.email}
    assert event.reason == "The board has found the money."


# --- Deciding a late join -------------------------------------------------------------------


def test_a_late_join_decision_needs_a_reason(active_project, lead_of_secamb, admin_of_southern):
    request = _ask_to_join(_participation(active_project, "SECAmb"), lead_of_secamb)
    with refused(RequestRefused, match="Give the reason for the decision.", field="reason"):
        late_join_request_decide(request=request, actor=admin_of_southern, approve=True, reason="")


def test_an_approved_late_join_commits_the_trust_to_the_milestones_still_ahead(
    active_project, lead_of_secamb, admin_of_southern, secamb
):
    contact = UserFactory(email="pm.secamb@example.org", home_trust=secamb)
    participation = _participation(active_project, "SECAmb")
    # Day 60: the first milestone (day 51) has passed, the second (day 111) is ahead.
    with time_machine.travel(noon(60), tick=False):
        request = _ask_to_join(participation, lead_of_secamb, contact=contact)
        late_join_request_decide(
            request=request, actor=admin_of_southern, approve=True, reason="Welcome."
        )

    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.COMMITTED
    assert participation.committed_at is not None
    assert participation.contact == contact
    [commitment] = participation.commitments.all()
    assert commitment.milestone.title == "Evaluation report"
    assert commitment.status == CommitmentStatus.NOT_STARTED
    assert commitment.owner == contact
    shares = {p.trust.short_name: p.cost_share for p in active_project.participations.all()}
    assert shares == {"LAS": Decimal("60000.00"), "SECAmb": Decimal("60000.00")}
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert request.share_changes == {
        "LAS": {"before": "120000.00", "after": "60000.00"},
        "SECAmb": {"before": None, "after": "60000.00"},
    }
    [event] = events_for(request, "late_join.approved")
    assert (event.actor, event.trust, event.reason) == (admin_of_southern, secamb, "Welcome.")
    assert event.after == {"status": RequestStatus.APPROVED, "share_changes": request.share_changes}


def test_a_rejected_late_join_leaves_the_trust_out(
    active_project, lead_of_secamb, admin_of_southern
):
    participation = _participation(active_project, "SECAmb")
    request = _ask_to_join(participation, lead_of_secamb)
    before = db_state()

    late_join_request_decide(
        request=request, actor=admin_of_southern, approve=False, reason="Too late."
    )

    after = db_state()
    for table in ("projects.Participation", "projects.Commitment"):
        assert after[table] == before[table]
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED
    assert len(events_for(request, "late_join.rejected")) == 1


def test_a_trust_rejoining_picks_up_its_withdrawn_commitments_still_ahead(
    active_project_both, lead_of_secamb, admin_of_southern
):
    participation = _participation(active_project_both, "SECAmb")
    withdrawal = _ask_to_withdraw(participation, lead_of_secamb)
    withdrawal_request_decide(
        request=withdrawal, actor=admin_of_southern, approve=True, reason="OK"
    )
    with time_machine.travel(noon(60), tick=False):
        request = _ask_to_join(participation, lead_of_secamb)
        late_join_request_decide(
            request=request, actor=admin_of_southern, approve=True, reason="Back again."
        )

    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.COMMITTED
    assert participation.withdrawn_at is None
    statuses = {c.milestone.title: c.status for c in participation.commitments.all()}
    # No duplicates: the past one stays withdrawn, the one ahead is owed again.
    assert statuses == {
        "Data sharing agreement signed": CommitmentStatus.WITHDRAWN,
        "Evaluation report": CommitmentStatus.NOT_STARTED,
    }


@pytest.mark.parametrize("first", [True, False], ids=["approved", "rejected"])
def test_a_late_join_request_cannot_be_decided_twice(
    active_project, lead_of_secamb, admin_of_southern, first
):
    request = _ask_to_join(_participation(active_project, "SECAmb"), lead_of_secamb)
    late_join_request_decide(request=request, actor=admin_of_southern, approve=first, reason="X.")
    request.refresh_from_db()
    word = "approved" if first else "rejected"
    with refused(RequestRefused, match=f"already {word} on {long_date(request.decided_at)}."):
        late_join_request_decide(
            request=request, actor=admin_of_southern, approve=not first, reason="Changed."
        )


def test_a_late_join_cannot_be_approved_once_the_project_has_closed(
    active_project, lead_of_secamb, admin_of_southern
):
    request = _ask_to_join(_participation(active_project, "SECAmb"), lead_of_secamb)
    project_close(project=active_project, actor=admin_of_southern, reason="Stopped.")
    with refused(
        RequestRefused, match="This project is closed, so the request cannot be approved."
    ):
        late_join_request_decide(
            request=request, actor=admin_of_southern, approve=True, reason="OK."
        )
    late_join_request_decide(
        request=request, actor=admin_of_southern, approve=False, reason="The project closed."
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED
    assert not Commitment.objects.filter(
        participation__project=active_project, status=CommitmentStatus.NOT_STARTED
    ).exists()
