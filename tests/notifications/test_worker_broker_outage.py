"""Redis stopped while people decide: nothing fails, nothing is lost, each email goes once."""

import datetime
import logging

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from collab.models import Delivery, DeliveryStatus, Notification
from collab.notifications.delivery import SWEEP_GRACE
from collab.tasks import deliver_waiting_notifications
from projects.services import participation_decide, withdrawal_request_create
from tests.notifications.conftest import (
    drain,
    emails,
    emails_for,
    nothing_pending,
    notifications,
    open_second_project,
)

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_decisions_made_while_redis_is_down_are_all_emailed_once_when_it_is_back(
    worker_on_private_redis,
    private_redis,
    active_project_both,
    southern,
    las,
    secamb,
    admin_of_southern,
    lead_of_las,
    lead_of_secamb,
    caplog,
):
    # A worker started earlier in the run may have set the root logger to errors only.
    caplog.set_level(logging.WARNING, logger="collab.tasks")
    drain()  # the emails about setting the projects up
    mail.outbox.clear()
    before = set(Notification.objects.values_list("pk", flat=True))

    private_redis.stop()
    # Each of these commits, and then fails to queue its emails.
    project = open_second_project(southern, admin_of_southern, las, "Shared rota tool")
    for lead, opt_in in ((lead_of_las, True), (lead_of_secamb, False)):
        participation_decide(
            participation=project.participations.get(trust=lead.home_trust),
            actor=lead,
            opt_in=opt_in,
            reason="Board view.",
            contact=lead,
            confirmed=True,
        )
    withdrawal_request_create(
        participation=active_project_both.participations.get(trust=secamb),
        actor=lead_of_secamb,
        reason="Budget cut.",
        impact="LAS pays more.",
    )

    told = [n for n in notifications() if n.pk not in before]
    assert sorted((n.kind, n.recipient.email) for n in told) == [
        ("participation.decided", "admin.southern@example.org"),
        ("participation.decided", "admin.southern@example.org"),
        ("project.opened", "lead.las@example.org"),
        ("project.opened", "lead.secamb@example.org"),
        ("withdrawal.requested", "admin.southern@example.org"),
    ]
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 5
    assert caplog.text.count("will be sent by the outbox sweeper") == 4
    assert mail.outbox == []

    private_redis.start()
    assert deliver_waiting_notifications() == 0  # fresh rows are left to their own task
    with time_machine.travel(timezone.now() + SWEEP_GRACE + datetime.timedelta(seconds=30)):
        assert deliver_waiting_notifications() == 5
        drain(timeout=60)

    assert nothing_pending()
    assert emails() == emails_for(told)
