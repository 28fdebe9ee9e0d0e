"""Every state change records one AuditEvent, in the same transaction as the change."""

from decimal import Decimal

import pytest

from collab.models import AuditEvent
from projects import services
from projects.models import BenefitKind, Category, CommitmentStatus, FundingModel
from tests.audit_cases import (
    Change,
    change_id,
    check_undone_without_audit,
    run_and_read_its_audit_event,
)
from tests.projects.helpers import days, db_state


def _commitment(project, short_name):
    return project.participations.get(trust__short_name=short_name).commitments.first()


def _create(f):
    southern, admin, las = f("southern"), f("admin_of_southern"), f("las")
    return Change(
        lambda: services.project_create(
            collaboration=southern,
            actor=admin,
            lead_trust=las,
            title="Shared fleet telematics",
            summary="One telematics contract.",
            category=Category.VEHICLES_AND_PROCUREMENT,
            terms="Each trust fits the units.",
            funding_model=FundingModel.EQUAL_SPLIT,
            total_budget=Decimal("10000.00"),
            decision_deadline=days(5),
            planned_start=days(10),
            planned_end=days(100),
        ),
        admin,
        "project.created",
    )


def _update_terms(f):
    project, admin = f("draft_project"), f("admin_of_southern")
    return Change(
        lambda: services.project_update_terms(project=project, actor=admin, title="Renamed"),
        admin,
        "project.terms_changed",
    )


def _milestone_save(f):
    project, admin = f("draft_project"), f("admin_of_southern")
    return Change(
        lambda: services.milestone_save(
            project=project, actor=admin, title="Kick-off", deliverable="Attend.", due_on=days(30)
        ),
        admin,
        "milestone.saved",
    )


def _milestone_remove(f):
    milestone, admin = f("draft_project").milestones.first(), f("admin_of_southern")
    return Change(
        lambda: services.milestone_remove(milestone=milestone, actor=admin),
        admin,
        "milestone.removed",
    )


def _open(f):
    project, admin = f("draft_project"), f("admin_of_southern")
    return Change(
        lambda: services.project_open(project=project, actor=admin), admin, "project.opened"
    )


def _opt_in(participation, lead):
    return services.participation_decide(
        participation=participation,
        actor=lead,
        opt_in=True,
        reason="We are in.",
        contact=lead,
        confirmed=True,
    )


def _decide(f):
    participation, lead = f("las_participation"), f("lead_of_las")
    return Change(lambda: _opt_in(participation, lead), lead, "participation.opted_in", f("las"))


def _start(f):
    project, admin = f("open_project"), f("admin_of_southern")
    _opt_in(f("las_participation"), f("lead_of_las"))
    return Change(
        lambda: services.project_start(project=project, actor=admin), admin, "project.started"
    )


def _complete(f):
    project, admin = f("active_project"), f("admin_of_southern")
    project.participations.get(trust__short_name="LAS").commitments.update(
        status=CommitmentStatus.ACCEPTED
    )
    return Change(
        lambda: services.project_complete(project=project, actor=admin),
        admin,
        "project.completed",
    )


def _close(f):
    project, admin = f("active_project"), f("admin_of_southern")
    return Change(
        lambda: services.project_close(project=project, actor=admin, reason="Stopped."),
        admin,
        "project.closed",
    )


def _withdrawal_request(f):
    participation = f("active_project_both").participations.get(trust__short_name="LAS")
    lead = f("lead_of_las")
    return Change(
        lambda: services.withdrawal_request_create(
            participation=participation, actor=lead, reason="Budget cut.", impact="Others pay."
        ),
        lead,
        "withdrawal.requested",
        f("las"),
    )


def _withdrawal_decide(f):
    participation = f("active_project_both").participations.get(trust__short_name="SECAmb")
    admin = f("admin_of_southern")
    request = services.withdrawal_request_create(
        participation=participation,
        actor=f("lead_of_secamb"),
        reason="Budget cut.",
        impact="Others pay more.",
    )
    return Change(
        lambda: services.withdrawal_request_decide(
            request=request, actor=admin, approve=True, reason="Agreed."
        ),
        admin,
        "withdrawal.approved",
        f("secamb"),
    )


def _ask_to_join(participation, lead):
    return services.late_join_request_create(
        participation=participation,
        actor=lead,
        reason="We have the money now.",
        contact=lead,
        confirmed=True,
    )


def _late_join_request(f):
    participation = f("active_project").participations.get(trust__short_name="SECAmb")
    lead = f("lead_of_secamb")
    return Change(
        lambda: _ask_to_join(participation, lead), lead, "late_join.requested", f("secamb")
    )


def _late_join_decide(f):
    participation = f("active_project").participations.get(trust__short_name="SECAmb")
    admin = f("admin_of_southern")
    request = _ask_to_join(participation, f("lead_of_secamb"))
    return Change(
        lambda: services.late_join_request_decide(
            request=request, actor=admin, approve=True, reason="Welcome."
        ),
        admin,
        "late_join.approved",
        f("secamb"),
    )


def _commitment_update(f):
    commitment, lead = _commitment(f("active_project"), "LAS"), f("lead_of_las")
    return Change(
        lambda: services.commitment_update(
            commitment=commitment, actor=lead, status=CommitmentStatus.DONE, note="Signed."
        ),
        lead,
        "commitment.updated",
        f("las"),
    )


def _commitment_review(f):
    commitment, admin = _commitment(f("active_project"), "LAS"), f("admin_of_southern")
    commitment.status = CommitmentStatus.DONE
    commitment.save()
    return Change(
        lambda: services.commitment_review(
            commitment=commitment, actor=admin, accept=False, reason="Unsigned."
        ),
        admin,
        "commitment.sent_back",
        f("las"),
    )


def _benefit(f):
    project, las, lead = f("open_project"), f("las"), f("lead_of_las")
    return Change(
        lambda: services.benefit_record(
            project=project,
            trust=las,
            kind=BenefitKind.EXPECTED,
            actor=lead,
            staff_hours_released=Decimal("100"),
            money_saved=Decimal("2500.00"),
            measure="Fewer handovers.",
        ),
        lead,
        "benefit.expected_recorded",
        las,
    )


CHANGES = [
    _create,
    _update_terms,
    _milestone_save,
    _milestone_remove,
    _open,
    _decide,
    _start,
    _complete,
    _close,
    _withdrawal_request,
    _withdrawal_decide,
    _late_join_request,
    _late_join_decide,
    _commitment_update,
    _commitment_review,
    _benefit,
]


@pytest.mark.parametrize("prepare", CHANGES, ids=change_id)
def test_every_change_records_one_audit_event_naming_who_and_which_trust(request, prepare):
    _, event = run_and_read_its_audit_event(prepare(request.getfixturevalue))
    assert event.context.startswith("projects.jointproject:")


@pytest.mark.parametrize("prepare", CHANGES, ids=change_id)
def test_a_change_is_undone_when_its_audit_record_cannot_be_written(request, monkeypatch, prepare):
    change = prepare(request.getfixturevalue)
    check_undone_without_audit(change, monkeypatch, (services,), db_state)


def test_a_change_made_by_the_deadline_sweep_is_recorded_without_an_actor(
    open_project, las_participation, lead_of_las
):
    services.participation_decide(
        participation=las_participation,
        actor=lead_of_las,
        opt_in=True,
        reason="We are in.",
        contact=lead_of_las,
        confirmed=True,
    )
    services.project_start(project=open_project, actor=None)

    [event] = AuditEvent.objects.filter(action="project.started")
    assert (event.actor, event.actor_email) == (None, "")
    assert event.reason == "The decision deadline passed."
