"""The closing-date reminders on a real worker from Redis: the beat task as beat queues it, run
twice, and the ladder walked day by day up to the closing date."""

import datetime

import pytest
import time_machine
from django.core import mail

from collab.models import Notification
from procurement.tasks import send_closing_date_reminders
from tests.notifications.conftest import (
    drain,
    emails,
    emails_for,
    noon_on,
    notifications,
    wait_until,
)

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

KIND = "procurement.closing_date_reminder"
LEADS = {"lead.las@example.org", "lead.secamb@example.org"}


def test_the_beat_task_on_a_worker_reminds_each_lead_once_even_when_run_twice(
    real_worker, open_round, lead_of_las, lead_of_secamb, lead_of_yas
):
    drain()  # the emails about the project starting
    mail.outbox.clear()

    with time_machine.travel(noon_on(open_round.closing_date - datetime.timedelta(days=3))):
        send_closing_date_reminders.apply_async()
        send_closing_date_reminders.apply_async()
        wait_until(lambda: Notification.objects.filter(kind=KIND).count() == 2)
        drain()

    sent = notifications(kind=KIND)
    assert {(n.step, n.recipient.email) for n in sent} == {("3-days", e) for e in LEADS}
    assert emails() == emails_for(sent)
    assert sum(emails().values()) == 2


# Days from the closing date -> the rung sent that day.
LADDER = {-14: "14-days", -3: "3-days", 0: "on-the-day"}


def test_the_ladder_walked_day_by_day_reminds_only_the_trust_that_has_not_confirmed(
    real_worker, confirmed_las_order, open_round, lead_of_secamb, lead_of_yas
):
    closing = open_round.closing_date
    drain()
    mail.outbox.clear()

    sent_on: dict[int, set] = {}
    day = closing - datetime.timedelta(days=16)
    while day <= closing + datetime.timedelta(days=1):
        offset = (day - closing).days
        before = {n.pk for n in notifications(kind=KIND)}
        with time_machine.travel(noon_on(day)):
            queued = send_closing_date_reminders()
            assert queued == (1 if offset in LADDER else 0), f"day {offset:+d} queued {queued}"
            if queued:
                drain()
        new = [n for n in notifications(kind=KIND) if n.pk not in before]
        if new:
            sent_on[offset] = {(n.step, n.recipient.email) for n in new}
        day += datetime.timedelta(days=1)

    assert sent_on == {
        offset: {(step, "lead.secamb@example.org")} for offset, step in LADDER.items()
    }
    assert emails() == emails_for(notifications(kind=KIND))
    assert sum(emails().values()) == 3
