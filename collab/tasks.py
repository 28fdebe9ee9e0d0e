"""Thin Celery tasks of the core: ids in, one service call, safe to run twice."""

import datetime
import logging
from collections.abc import Iterable
from smtplib import SMTPException

from celery import Task, shared_task
from django.conf import settings
from django.utils import timezone
from kombu.exceptions import OperationalError

from collab import services
from collab.celery import app
from collab.notifications import delivery, digests

logger = logging.getLogger(__name__)


def fan_out(task: Task, argument_tuples: Iterable[tuple]) -> int:
    """Queue one small task per item, over one broker connection."""
    count = 0
    with app.producer_or_acquire() as producer:
        for args in argument_tuples:
            task.apply_async(args, producer=producer)
            count += 1
    return count


def fan_out_unless_broker_down(task: Task, ids: list[int], *, left_waiting: str) -> int:
    """`fan_out` one task per id, queued after a commit. If the broker is down, the rows stay
    waiting for their sweeper (`left_waiting` says what and whose): lose nothing."""
    try:
        return fan_out(task, ((pk,) for pk in ids))
    except (OperationalError, OSError) as error:
        logger.warning("Broker unavailable (%s); %d %s.", error, len(ids), left_waiting)
        return 0


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, max_retries=5)
def send_invitation_email(invitation_id: int) -> bool:
    return services.invitation_send_email(invitation_id=invitation_id, site_url=settings.SITE_URL)


@shared_task(bind=True, max_retries=delivery.MAX_EMAIL_ATTEMPTS)
def deliver_notification(self: Task, delivery_id: int) -> str:
    outcome = delivery.delivery_send(delivery_id=delivery_id)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(bind=True, max_retries=delivery.MAX_EMAIL_ATTEMPTS)
def send_digest(self: Task, digest_id: int) -> str:
    outcome = digests.digest_send(digest_id=digest_id)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task
def deliver_waiting_notifications() -> int:
    """Beat, every few minutes: send what a broker outage or a failed attempt left waiting."""
    sent = fan_out(deliver_notification, ((pk,) for pk in delivery.deliveries_waiting()))
    return sent + fan_out(send_digest, ((pk,) for pk in delivery.digests_waiting()))


@shared_task
def send_digests(frequency: str) -> int:
    """Beat, daily and on Mondays: one task per person with items waiting for their digest."""
    today = timezone.localdate().isoformat()
    return fan_out(
        assemble_and_send_digest,
        ((person_id, frequency, today) for person_id in digests.people_awaiting_digest(frequency)),
    )


@shared_task
def assemble_and_send_digest(person_id: int, frequency: str, today: str) -> str:
    digest = digests.digest_assemble(
        person_id=person_id, frequency=frequency, today=datetime.date.fromisoformat(today)
    )
    if digest is None:
        return "already sent"
    send_digest.delay(digest.pk)
    return "queued"
