"""The deadline sweep: the day after the decision deadline, open projects start or close."""

from decimal import Decimal

import pytest
import time_machine

from collab.models import AuditEvent
from projects.models import (
    Category,
    Commitment,
    FundingModel,
    JointProject,
    ParticipationStatus,
    ProjectStatus,
)
from projects.services import (
    milestone_save,
    participation_decide,
    project_create,
    project_open,
)
from projects.tasks import start_project_at_deadline, start_projects_past_deadline
from tests.projects.helpers import days, db_state, events_for, noon


def _open_project(southern, admin, lead_trust, title, *, deadline=14, **terms):
    project = project_create(
        collaboration=southern,
        actor=admin,
        lead_trust=lead_trust,
        title=title,
        summary=f"{title}, together.",
        category=Category.WORKFORCE_AND_WELLBEING,
        terms="Each trust takes part.",
        funding_model=terms.pop("funding_model", FundingModel.EQUAL_SPLIT),
        total_budget=Decimal("30000.00"),
        decision_deadline=days(deadline),
        planned_start=days(21),
        planned_end=days(200),
    )
    milestone_save(
        project=project, actor=admin, title="Pilot", deliverable="Run a pilot.", due_on=days(60)
    )
    return project_open(project=project, actor=admin)


def _decide(project, lead, *, opt_in):
    participation_decide(
        participation=project.participations.get(trust=lead.home_trust),
        actor=lead,
        opt_in=opt_in,
        reason="Decided.",
        contact=lead if opt_in else None,
        confirmed=opt_in,
    )


@pytest.fixture
def wanted(open_project, lead_of_las):
    """Open, deadline in 14 days, LAS opted in."""
    _decide(open_project, lead_of_las, opt_in=True)
    return open_project


@pytest.fixture
def unwanted(southern, admin_of_southern, las, lead_of_secamb):
    """Open, deadline in 14 days, SECAmb opted out and LAS undecided."""
    project = _open_project(southern, admin_of_southern, las, "Shared wellbeing app")
    _decide(project, lead_of_secamb, opt_in=False)
    return project


@pytest.fixture
def later(southern, admin_of_southern, las, lead_of_las):
    """Open, deadline in 20 days, LAS opted in."""
    project = _open_project(southern, admin_of_southern, las, "Peer support", deadline=20)
    _decide(project, lead_of_las, opt_in=True)
    return project


def _status(project) -> str:
    return JointProject.objects.get(pk=project.pk).status


# --- Eager: the tasks run in the test's thread ----------------------------------------------


def test_after_the_deadline_the_sweep_starts_projects_with_an_opt_in_and_closes_the_rest(
    wanted, unwanted, later
):
    with time_machine.travel(noon(15), tick=False):
        started = start_projects_past_deadline.delay().get()

    assert started == 2
    assert _status(wanted) == ProjectStatus.ACTIVE
    statuses = dict(wanted.participations.values_list("trust__short_name", "status"))
    assert statuses == {
        "LAS": ParticipationStatus.COMMITTED,
        "SECAmb": ParticipationStatus.NOT_JOINED,
    }
    assert Commitment.objects.filter(participation__project=wanted).count() == 2
    [event] = events_for(wanted, "project.started")
    assert (event.actor, event.reason) == (None, "The decision deadline passed.")

    unwanted.refresh_from_db()
    assert unwanted.status == ProjectStatus.CLOSED
    assert unwanted.closure_reason.startswith(
        "The decision deadline passed and the project could not start: No trust has opted in"
    )
    [event] = events_for(unwanted, "project.closed")
    assert (event.actor, event.reason) == (None, unwanted.closure_reason)
    # Its deadline has not passed yet.
    assert _status(later) == ProjectStatus.OPEN


def test_running_the_sweep_twice_changes_nothing_more(wanted, unwanted, later):
    with time_machine.travel(noon(15), tick=False):
        start_projects_past_deadline.delay().get()
        after_first = db_state()
        again = start_projects_past_deadline.delay().get()
        one_project_again = start_project_at_deadline.delay(wanted.pk).get()

    assert again == 0
    assert one_project_again is None
    assert db_state() == after_first


def test_on_the_deadline_day_itself_the_sweep_leaves_projects_open(wanted, unwanted):
    with time_machine.travel(noon(14), tick=False):
        assert start_projects_past_deadline.delay().get() == 0
        # Even asked directly, a project still taking decisions is left alone.
        assert start_project_at_deadline.delay(wanted.pk).get() is None
    assert _status(wanted) == _status(unwanted) == ProjectStatus.OPEN


def test_a_lead_funded_project_whose_lead_did_not_join_closes_at_the_deadline(
    southern, admin_of_southern, las, lead_of_secamb
):
    project = _open_project(
        southern,
        admin_of_southern,
        las,
        "Lead-funded trial",
        funding_model=FundingModel.LEAD_TRUST_FUNDED,
    )
    _decide(project, lead_of_secamb, opt_in=True)

    with time_machine.travel(noon(15), tick=False):
        assert start_project_at_deadline.delay(project.pk).get() == ProjectStatus.CLOSED

    project.refresh_from_db()
    assert "The lead trust, LAS, funds this project but has not opted in" in (
        project.closure_reason
    )
    assert not Commitment.objects.filter(participation__project=project).exists()


# --- A real worker, on the real Redis --------------------------------------------------------


def _past_deadline(project) -> None:
    # The deadline moves instead of the clock: the worker thread and the test then agree on
    # "today" without travelling.
    JointProject.objects.filter(pk=project.pk).update(decision_deadline=days(-1))


def _run_on_worker(project) -> str | None:
    result = start_project_at_deadline.apply_async((project.pk,), ignore_result=False)
    return result.get(timeout=30)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_starts_a_project_past_its_deadline_once(real_worker, wanted):
    _past_deadline(wanted)

    assert _run_on_worker(wanted) == ProjectStatus.ACTIVE
    assert _run_on_worker(wanted) is None

    assert _status(wanted) == ProjectStatus.ACTIVE
    assert Commitment.objects.filter(participation__project=wanted).count() == 2
    assert AuditEvent.objects.filter(action="project.started").count() == 1


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_closes_a_project_nobody_joined_once(real_worker, unwanted):
    _past_deadline(unwanted)

    assert _run_on_worker(unwanted) == ProjectStatus.CLOSED
    assert _run_on_worker(unwanted) is None

    unwanted.refresh_from_db()
    assert unwanted.status == ProjectStatus.CLOSED
    assert "No trust has opted in" in unwanted.closure_reason
    assert AuditEvent.objects.filter(action="project.closed").count() == 1
