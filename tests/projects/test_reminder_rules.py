"""The reminder ladders: which rung an item stands on, in Python and in the sweep's SQL."""

import datetime

import pytest
from django.utils import timezone

from collab.models import Notification
from projects.models import Commitment, JointProject
from projects.reminders import (
    commitment_remind,
    commitment_step,
    commitment_step_expression,
    commitments_due_a_reminder,
    deadline_remind,
    deadline_step,
    deadline_step_expression,
    projects_due_a_deadline_reminder,
)
from projects.services import participation_decide
from tests.notifications.helpers import told

TODAY = datetime.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("days_late", "step"),
    [
        (-15, None),
        (-14, "due-14"),
        (-4, "due-14"),
        (-3, "due-3"),
        (0, "due-3"),
        (1, "overdue-1"),
        (7, "overdue-1"),
        (8, "overdue-8"),
        (14, "overdue-8"),
        (15, "overdue-15"),
        (29, "overdue-29"),
        (400, "overdue-400"),
    ],
)
def test_the_commitment_ladder(days_late, step):
    assert commitment_step(TODAY - datetime.timedelta(days=days_late), TODAY) == step


@pytest.mark.parametrize(
    ("days_left", "step"),
    [
        (8, None),
        (7, "7-days"),
        (3, "7-days"),
        (2, "2-days"),
        (1, "2-days"),
        (0, "on-the-day"),
        (-1, None),
    ],
)
def test_the_deadline_ladder(days_left, step):
    assert deadline_step(TODAY + datetime.timedelta(days=days_left), TODAY) == step


@pytest.mark.django_db
def test_the_sweeps_sql_agrees_with_python_on_every_day(active_project):
    commitment = Commitment.objects.filter(participation__project=active_project).first()
    project = JointProject.objects.filter(pk=active_project.pk)
    for offset in range(-40, 30):
        due_on = TODAY + datetime.timedelta(days=offset)
        Commitment.objects.filter(pk=commitment.pk).update(due_on=due_on)
        in_sql = (
            Commitment.objects.filter(pk=commitment.pk)
            .annotate(step=commitment_step_expression(TODAY))
            .values_list("step", flat=True)
            .get()
        )
        assert in_sql == commitment_step(due_on, TODAY), offset
        if 0 <= offset <= 7:
            project.update(decision_deadline=due_on)
            in_sql = project.annotate(step=deadline_step_expression(TODAY)).values_list(
                "step", flat=True
            )
            assert in_sql.get() == deadline_step(due_on, TODAY), offset


def _due_in(commitment: Commitment, days: int) -> None:
    Commitment.objects.filter(pk=commitment.pk).update(
        due_on=timezone.localdate() + datetime.timedelta(days=days)
    )


@pytest.mark.django_db
def test_the_sweep_picks_a_commitment_once_per_rung(active_project, lead_of_las, las):
    commitment = active_project.participations.get(trust=las).commitments.first()
    today = timezone.localdate()
    _due_in(commitment, 20)
    assert commitment.pk not in commitments_due_a_reminder(today)

    _due_in(commitment, 14)
    assert commitment.pk in commitments_due_a_reminder(today)
    assert len(commitment_remind(commitment_id=commitment.pk, today=today)) == 1
    assert commitment.pk not in commitments_due_a_reminder(today)
    # Run again (a second beat, a retried task): nothing new.
    assert len(commitment_remind(commitment_id=commitment.pk, today=today)) == 1
    assert Notification.objects.filter(kind="commitment.due_soon").count() == 1

    _due_in(commitment, 3)
    assert commitment.pk in commitments_due_a_reminder(today)


@pytest.mark.django_db
def test_at_14_days_overdue_the_programme_admins_are_told(
    active_project, lead_of_las, las, admin_of_southern
):
    commitment = active_project.participations.get(trust=las).commitments.first()
    today = timezone.localdate()
    _due_in(commitment, -14)

    commitment_remind(commitment_id=commitment.pk, today=today)

    assert told("commitment.escalated") == {"admin.southern@example.org"}
    assert told("commitment.overdue", step="overdue-8") == {"lead.las@example.org"}
    assert commitment.pk not in commitments_due_a_reminder(today)


@pytest.mark.django_db
def test_delivered_and_withdrawn_commitments_get_no_reminders(active_project, las):
    commitment = active_project.participations.get(trust=las).commitments.first()
    _due_in(commitment, -1)
    for status in ("done", "accepted", "withdrawn"):
        Commitment.objects.filter(pk=commitment.pk).update(status=status)
        assert commitment.pk not in commitments_due_a_reminder()
        assert commitment_remind(commitment_id=commitment.pk, today=timezone.localdate()) == []


@pytest.mark.django_db
def test_deadline_reminders_go_to_leads_of_undecided_trusts_only(
    open_project, las_participation, lead_of_las, lead_of_secamb
):
    participation_decide(
        participation=las_participation,
        actor=lead_of_las,
        opt_in=False,
        reason="Not now.",
        contact=None,
    )
    today = timezone.localdate()
    JointProject.objects.filter(pk=open_project.pk).update(
        decision_deadline=today + datetime.timedelta(days=2)
    )
    assert projects_due_a_deadline_reminder(today) == [open_project.pk]

    deadline_remind(project_id=open_project.pk, today=today)

    assert told("project.deadline_approaching", step="2-days") == {"lead.secamb@example.org"}
    assert projects_due_a_deadline_reminder(today) == []
