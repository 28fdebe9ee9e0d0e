"""Sending what the outbox holds: claim a row, send it, record the outcome, back off on failure.

A row is claimed with SELECT ... FOR UPDATE SKIP LOCKED and marked sent in the same transaction
as the send. A second task for the same row skips it; a worker killed mid-send rolls the claim
back, so the retried task (or the sweeper) sends it once.
"""

import datetime
import logging
from dataclasses import dataclass
from functools import partial
from smtplib import SMTPRecipientsRefused, SMTPSenderRefused

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from collab.audit import audit_record
from collab.models import Delivery, DeliveryStatus, Digest, User
from collab.models.notification import EmailAttempts
from collab.notifications.channels import CHANNELS
from collab.notifications.outbox import enqueue_deliveries

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5
# The sweeper leaves fresh rows to the task queued on commit for this long.
SWEEP_GRACE = datetime.timedelta(minutes=2)
# Failures no retry will mend: the address is refused.
PERMANENT_ERRORS = (SMTPRecipientsRefused, SMTPSenderRefused, ValueError)


@dataclass(frozen=True)
class Outcome:
    status: str
    retry_in: int | None = None  # seconds, when the send failed and will be tried again


def backoff_seconds(attempts: int) -> int:
    """1, 2, 4, 8 minutes... after each failed attempt, at most an hour."""
    return min(60 * 2 ** (attempts - 1), 3600)


def record_failure(row: EmailAttempts, error: Exception) -> Outcome:
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    if isinstance(error, PERMANENT_ERRORS) or row.attempts >= MAX_EMAIL_ATTEMPTS:
        row.status = DeliveryStatus.FAILED
        row.save(update_fields=["attempts", "last_error", "status"])
        logger.error("Email permanently failed after %d attempt(s): %s", row.attempts, error)
        return Outcome(DeliveryStatus.FAILED)
    delay = backoff_seconds(row.attempts)
    row.next_attempt_at = timezone.now() + datetime.timedelta(seconds=delay)
    row.save(update_fields=["attempts", "last_error", "next_attempt_at"])
    return Outcome(DeliveryStatus.PENDING, retry_in=delay)


def record_sent(row: EmailAttempts) -> Outcome:
    row.attempts += 1
    row.status = DeliveryStatus.SENT
    row.sent_at = timezone.now()
    row.last_error = ""
    row.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return Outcome(DeliveryStatus.SENT)


def delivery_send(*, delivery_id: int) -> Outcome:
    """Send one waiting delivery; a no-op for one that is sent, failed or being sent."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("notification__recipient")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return Outcome("nothing to send")
        if not delivery.notification.recipient.is_active:
            delivery.status = DeliveryStatus.SKIPPED
            delivery.last_error = "The person's account is deactivated."
            delivery.save(update_fields=["status", "last_error"])
            return Outcome(DeliveryStatus.SKIPPED)
        try:
            CHANNELS[delivery.channel].send(delivery.notification)
        except Exception as error:  # any failure is recorded against the row and retried
            return record_failure(delivery, error)
        return record_sent(delivery)


def deliveries_waiting(now: datetime.datetime | None = None, limit: int = 5000) -> list[int]:
    """Rows the queue-on-commit did not send: the broker was down, or a retry is due."""
    cutoff = (now or timezone.now()) - SWEEP_GRACE
    return list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=cutoff)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def digests_waiting(now: datetime.datetime | None = None, limit: int = 5000) -> list[int]:
    cutoff = (now or timezone.now()) - SWEEP_GRACE
    return list(
        Digest.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=cutoff)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def deliveries_send_again(*, deliveries: QuerySet[Delivery], actor: User) -> list[int]:
    """Put failed deliveries back in the outbox with fresh attempts; others are left alone.

    The task is queued after commit (and the sweeper sends them if the broker is down).
    Returns the ids queued."""
    with transaction.atomic():
        # Through the ids: the admin's queryset may be ordered or distinct, which FOR UPDATE
        # refuses.
        failed = list(
            Delivery.objects.select_for_update(of=("self",))
            .filter(pk__in=deliveries.values("pk"), status=DeliveryStatus.FAILED)
            .select_related("notification__recipient__home_trust")
            .order_by("pk")
        )
        for delivery in failed:
            delivery.status = DeliveryStatus.PENDING
            delivery.attempts = 0
            delivery.next_attempt_at = timezone.now()
            delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
            audit_record(
                actor=actor,
                action="notifications.delivery_sent_again",
                target=delivery,
                trust=delivery.notification.recipient.home_trust,
                before=DeliveryStatus.FAILED,
                after=DeliveryStatus.PENDING,
            )
        ids = [delivery.pk for delivery in failed]
        if ids:
            transaction.on_commit(partial(enqueue_deliveries, ids))
    return ids
