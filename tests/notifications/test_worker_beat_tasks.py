"""The periodic tasks beat sends, each run by a real worker from Redis, as beat would queue
them: the outbox sweeper, the deadline reminder sweep and the deadline start sweep. Each test
waits for the effect in the database, what beat's run is for."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from collab.models import Channel, Delivery, DeliveryStatus, EmailFrequency, Notification
from collab.tasks import deliver_waiting_notifications
from projects.models import JointProject, ProjectStatus
from projects.services import participation_decide
from projects.tasks import send_deadline_reminders, start_projects_past_deadline
from tests.factories import NotificationFactory
from tests.notifications.conftest import wait_until

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_the_sweeper_on_a_worker_sends_what_waited(real_worker, lead_of_las):
    notification = NotificationFactory(recipient=lead_of_las)
    delivery = Delivery.objects.create(
        notification=notification,
        channel=Channel.EMAIL,
        frequency=EmailFrequency.IMMEDIATE,
        status=DeliveryStatus.PENDING,
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=10),
    )

    deliver_waiting_notifications.apply_async()

    wait_until(lambda: Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT)
    assert [m.to for m in mail.outbox] == [["lead.las@example.org"]]


def test_the_deadline_reminder_sweep_on_a_worker(real_worker, open_project, lead_of_las):
    JointProject.objects.filter(pk=open_project.pk).update(
        decision_deadline=timezone.localdate() + datetime.timedelta(days=2)
    )

    send_deadline_reminders.apply_async()

    wait_until(
        lambda: Notification.objects.filter(
            kind="project.deadline_approaching", step="2-days", recipient=lead_of_las
        ).exists()
    )


def test_the_deadline_start_sweep_on_a_worker(
    real_worker, open_project, las_participation, lead_of_las
):
    participation_decide(
        participation=las_participation,
        actor=lead_of_las,
        opt_in=True,
        reason="In.",
        contact=lead_of_las,
        confirmed=True,
    )
    JointProject.objects.filter(pk=open_project.pk).update(
        decision_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )

    start_projects_past_deadline.apply_async()

    wait_until(lambda: JointProject.objects.get(pk=open_project.pk).status == ProjectStatus.ACTIVE)
