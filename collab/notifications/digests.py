"""Daily and weekly digests: one email holding everything a person chose to hear about later."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from collab.models import Delivery, DeliveryStatus, Digest, EmailFrequency, Notification
from collab.notifications.channels import CHANNELS
from collab.notifications.delivery import Outcome, record_failure, record_sent

DIGEST_FREQUENCIES = (EmailFrequency.DAILY, EmailFrequency.WEEKLY)


def period_start(frequency: str, today: datetime.date) -> datetime.date:
    """A daily digest's period is the day; a weekly one's starts on the Monday."""
    if frequency == EmailFrequency.WEEKLY:
        return today - datetime.timedelta(days=today.weekday())
    return today


def people_awaiting_digest(frequency: str) -> list[int]:
    return list(
        Delivery.objects.filter(
            status=DeliveryStatus.AWAITING_DIGEST, frequency=frequency, digest__isnull=True
        )
        .values_list("notification__recipient_id", flat=True)
        .distinct()
        .order_by()
    )


def digest_assemble(
    *, person_id: int, frequency: str, today: datetime.date | None = None
) -> Digest | None:
    """Gather the person's waiting items into this period's digest. Safe to run twice: the
    period's digest is unique, and items arriving after it was sent wait for the next one."""
    start = period_start(frequency, today or timezone.localdate())
    with transaction.atomic():
        try:
            with transaction.atomic():
                digest, _ = Digest.objects.get_or_create(
                    recipient_id=person_id, frequency=frequency, period_start=start
                )
        except IntegrityError:  # another worker created it at the same moment
            digest = Digest.objects.get(
                recipient_id=person_id, frequency=frequency, period_start=start
            )
        digest = Digest.objects.select_for_update().get(pk=digest.pk)
        if digest.status != DeliveryStatus.PENDING:
            return None
        Delivery.objects.filter(
            notification__recipient_id=person_id,
            status=DeliveryStatus.AWAITING_DIGEST,
            frequency=frequency,
            digest__isnull=True,
        ).update(digest=digest)
    return digest


def digest_send(*, digest_id: int) -> Outcome:
    """Send one digest and mark its items sent; a no-op if it is sent or being sent."""
    with transaction.atomic():
        digest = (
            Digest.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=digest_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if digest is None:
            return Outcome("nothing to send")
        deliveries = Delivery.objects.filter(digest=digest, status=DeliveryStatus.AWAITING_DIGEST)
        notifications = list(
            Notification.objects.filter(deliveries__in=deliveries).order_by("-created_at", "-pk")
        )
        if not notifications or not digest.recipient.is_active:
            reason = "Nothing to send." if not notifications else "The account is deactivated."
            return _skip(digest, deliveries, reason)
        try:
            CHANNELS["email"].send_digest(digest, notifications)
        except Exception as error:  # recorded against the digest and retried
            outcome = record_failure(digest, error)
            if outcome.status == DeliveryStatus.FAILED:
                deliveries.update(status=DeliveryStatus.FAILED, last_error=digest.last_error)
            return outcome
        deliveries.update(status=DeliveryStatus.SENT, sent_at=timezone.now(), attempts=1)
        return record_sent(digest)


def _skip(digest: Digest, deliveries, reason: str) -> Outcome:
    deliveries.update(status=DeliveryStatus.SKIPPED, last_error=reason)
    digest.status = DeliveryStatus.SKIPPED
    digest.last_error = reason
    digest.save(update_fields=["status", "last_error"])
    return Outcome(DeliveryStatus.SKIPPED)
