"""A sweep or a delivery task that runs twice, or twice at once, sends each email once."""

import pytest
from django.core import mail

from collab.models import Delivery, DeliveryStatus
from collab.tasks import deliver_notification
from projects.models import Commitment
from projects.services import participation_decide
from projects.tasks import send_commitment_reminders
from tests.notifications.conftest import (
    drain,
    emails,
    emails_for,
    nothing_pending,
    notifications,
    worker_thread,
)
from tests.projects.helpers import days

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def commitment(active_project, las, staff_of_las):
    """LAS's first commitment, due in 3 days (so today's rung is "due-3"), owned by a member
    of staff; its trust lead is lead_of_las. The others are not due for weeks."""
    commitment = Commitment.objects.filter(participation__trust=las).order_by("due_on").first()
    Commitment.objects.filter(pk=commitment.pk).update(owner=staff_of_las, due_on=days(3))
    return commitment


def _due_soon_emails(expected: int = 2):
    reminders = notifications(kind="commitment.due_soon")
    assert len(reminders) == expected
    return emails_for(reminders)


def test_two_sweeps_queued_before_the_worker_runs_send_each_reminder_once(
    commitment, queued_to_redis
):
    assert nothing_pending()  # the fixtures ran in-process, before tasks went to Redis
    mail.outbox.clear()
    # Both sweeps see the rung unsent, so the worker is given the same reminder twice.
    assert (send_commitment_reminders(), send_commitment_reminders()) == (1, 1)
    with worker_thread():
        drain()
    assert send_commitment_reminders() == 0

    assert emails() == _due_soon_emails()


def test_two_sweeps_running_at_once_on_four_worker_threads_send_each_reminder_once(
    threaded_worker, commitment
):
    drain()
    mail.outbox.clear()
    send_commitment_reminders.apply_async()
    send_commitment_reminders.apply_async()
    drain()

    assert emails() == _due_soon_emails()
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_the_delivery_task_queued_three_times_for_one_delivery_sends_once(
    las_participation, lead_of_las, admin_of_southern, queued_to_redis, outcomes
):
    mail.outbox.clear()  # the project opening, sent in-process by the fixtures
    participation_decide(
        participation=las_participation,
        actor=lead_of_las,
        opt_in=True,
        reason="Yes.",
        contact=lead_of_las,
        confirmed=True,
    )
    [delivery] = Delivery.objects.filter(status=DeliveryStatus.PENDING)
    # One task was queued on commit; two more, as a retry and the sweeper would.
    deliver_notification.apply_async((delivery.pk,))
    deliver_notification.apply_async((delivery.pk,))

    with worker_thread(pool="threads", concurrency=4):
        drain()

    delivery.refresh_from_db()
    assert (delivery.notification.kind, delivery.notification.recipient) == (
        "participation.decided",
        admin_of_southern,
    )
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)
    assert emails() == emails_for([delivery.notification])
    assert sorted(outcomes[deliver_notification.name]) == [
        "nothing to send",
        "nothing to send",
        DeliveryStatus.SENT,
    ]
