"""The reminder ladders, walked day by day: the daily sweep fans out to a real worker on Redis."""

import datetime

import pytest
import time_machine
from django.core import mail

from projects.models import Commitment
from projects.services import participation_decide
from projects.tasks import send_commitment_reminders, send_deadline_reminders
from tests.notifications.conftest import drain, emails, emails_for, noon_on, notifications
from tests.notifications.helpers import told
from tests.projects.helpers import days

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

OWNER_AND_LEAD = {"staff.las@example.org", "lead.las@example.org"}
ADMINS = {"admin.southern@example.org"}

# Days from the due date -> (kind, rung, who is told).
COMMITMENT_LADDER = {
    -14: ("commitment.due_soon", "due-14", OWNER_AND_LEAD),
    -3: ("commitment.due_soon", "due-3", OWNER_AND_LEAD),
    1: ("commitment.overdue", "overdue-1", OWNER_AND_LEAD),
    8: ("commitment.overdue", "overdue-8", OWNER_AND_LEAD),
    14: ("commitment.escalated", "overdue-14", ADMINS),
    15: ("commitment.overdue", "overdue-15", OWNER_AND_LEAD),
    22: ("commitment.overdue", "overdue-22", OWNER_AND_LEAD),
    29: ("commitment.overdue", "overdue-29", OWNER_AND_LEAD),
}
REMINDER_KINDS = ["commitment.due_soon", "commitment.overdue", "commitment.escalated"]


def _walk(first: datetime.date, last: datetime.date, sweep, ladder: dict, anchor, kinds):
    """Travel to each day, run the sweep and check what it sent; returns what was sent when."""
    sent_on: dict[int, set] = {}
    day = first
    while day <= last:
        offset = (day - anchor).days
        before = {n.pk for n in notifications(kind__in=kinds)}
        with time_machine.travel(noon_on(day)):
            queued = sweep()
            assert queued == (1 if offset in ladder else 0), f"day {offset:+d} queued {queued}"
            if queued:
                drain()
        new = [n for n in notifications(kind__in=kinds) if n.pk not in before]
        if new:
            sent_on[offset] = {(n.kind, n.step, n.recipient.email) for n in new}
        day += datetime.timedelta(days=1)
    return sent_on


def test_a_commitment_is_reminded_on_each_rung_of_its_ladder_and_on_no_other_day(
    real_worker, active_project, las, staff_of_las, lead_of_las, admin_of_southern
):
    commitment = Commitment.objects.get(participation__trust=las, due_on=days(51))
    Commitment.objects.filter(pk=commitment.pk).update(owner=staff_of_las)
    due = commitment.due_on
    drain()  # the emails about the project starting
    mail.outbox.clear()

    sent_on = _walk(
        due - datetime.timedelta(days=20),
        due + datetime.timedelta(days=30),
        send_commitment_reminders,
        COMMITMENT_LADDER,
        due,
        REMINDER_KINDS,
    )

    assert sent_on == {
        offset: {(kind, step, email) for email in people}
        for offset, (kind, step, people) in COMMITMENT_LADDER.items()
    }
    assert emails() == emails_for(notifications(kind__in=REMINDER_KINDS))
    assert sum(emails().values()) == 7 * 2 + 1


DEADLINE_LADDER = {
    -7: ("project.deadline_approaching", "7-days", {"lead.secamb@example.org"}),
    -2: ("project.deadline_approaching", "2-days", {"lead.secamb@example.org"}),
    0: ("project.deadline_approaching", "on-the-day", {"lead.secamb@example.org"}),
}


def test_an_undecided_trust_is_reminded_7_and_2_days_before_the_deadline_and_on_the_day(
    real_worker, open_project, las_participation, lead_of_las, lead_of_secamb
):
    participation_decide(
        participation=las_participation,
        actor=lead_of_las,
        opt_in=True,
        reason="Yes.",
        contact=lead_of_las,
        confirmed=True,
    )
    deadline = open_project.decision_deadline
    drain()
    mail.outbox.clear()

    sent_on = _walk(
        deadline - datetime.timedelta(days=12),
        deadline + datetime.timedelta(days=3),
        send_deadline_reminders,
        DEADLINE_LADDER,
        deadline,
        ["project.deadline_approaching"],
    )

    assert sent_on == {
        offset: {(kind, step, email) for email in people}
        for offset, (kind, step, people) in DEADLINE_LADDER.items()
    }
    assert told("project.deadline_approaching") == {"lead.secamb@example.org"}
    assert emails() == emails_for(notifications(kind="project.deadline_approaching"))
    assert sum(emails().values()) == 3
