"""notify(): the outbox. Rows are written in the caller's transaction; Celery sends after commit."""

import logging
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import QuerySet
from kombu.exceptions import OperationalError

from collab.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    EmailFrequency,
    Notification,
    NotificationPreference,
    User,
)
from collab.notifications.events import Event, Recipient
from collab.notifications.selectors import unread_count_changed

logger = logging.getLogger(__name__)

_STATUS_FOR_FREQUENCY = {
    EmailFrequency.IMMEDIATE: DeliveryStatus.PENDING,
    EmailFrequency.DAILY: DeliveryStatus.AWAITING_DIGEST,
    EmailFrequency.WEEKLY: DeliveryStatus.AWAITING_DIGEST,
    EmailFrequency.IN_APP: DeliveryStatus.SKIPPED,
}


def notify(
    event: Event, target: models.Model, *, step: str = "", actor: User | None = None
) -> list[Notification]:
    """Tell the event's recipients about `target`, once per person and step.

    Call inside the transaction of the change. Returns the notifications for this step
    (including any written before, so a retry returns the same rows and sends nothing new).
    The person who caused the change and deactivated people are not told.
    """
    recipients: dict[int, Recipient] = {}
    for recipient in event.recipients(target):
        person = recipient.person
        if person.is_active and (actor is None or person.pk != actor.pk):
            recipients.setdefault(person.pk, recipient)
    if not recipients:
        return []
    message = event.message(target, step)
    target_type = ContentType.objects.get_for_model(target)
    # Inside the change's transaction no savepoint is needed (two round trips fewer): nobody
    # catches a failure here and carries on, the whole change rolls back.
    with transaction.atomic(savepoint=False):
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=person_id,
                    kind=event.key,
                    category=event.category,
                    target_type=target_type,
                    target_id=target.pk,
                    step=step,
                    title=message.title[:300],
                    body=message.body,
                    url=message.url,
                    group_label=message.group_label[:300],
                    reason=recipient.reason[:500],
                )
                for person_id, recipient in recipients.items()
            ],
            ignore_conflicts=True,
        )
        unread_count_changed(recipients)
        notifications = list(
            Notification.objects.filter(
                kind=event.key,
                target_type=target_type,
                target_id=target.pk,
                step=step,
                recipient_id__in=recipients,
            )
        )
        frequencies = email_frequencies(list(recipients), event.category)
        # A notification written before already has its delivery: the conflict skips it.
        Delivery.objects.bulk_create(
            [
                Delivery(
                    notification=notification,
                    channel=Channel.EMAIL,
                    frequency=frequencies[notification.recipient_id],
                    status=_STATUS_FOR_FREQUENCY[frequencies[notification.recipient_id]],
                )
                for notification in notifications
            ],
            ignore_conflicts=True,
        )
    if DeliveryStatus.PENDING in {_STATUS_FOR_FREQUENCY[f] for f in frequencies.values()}:
        # Which deliveries still wait is asked once, after the commit (issue 7: one round trip
        # fewer than asking in the transaction too).
        ids = [notification.pk for notification in notifications]
        transaction.on_commit(partial(enqueue_deliveries_of_notifications, ids))
    return notifications


def email_frequencies(person_ids: list[int], category: str) -> dict[int, str]:
    """Each person's choice for the category; straight away unless they chose otherwise."""
    chosen = dict(
        NotificationPreference.objects.filter(
            person_id__in=person_ids, category=category
        ).values_list("person_id", "frequency")
    )
    return {person_id: chosen.get(person_id, EmailFrequency.IMMEDIATE) for person_id in person_ids}


def enqueue_deliveries(delivery_ids: list[int]) -> int:
    """Hand deliveries to Celery. If the broker is down they wait for the sweeper: lose nothing."""
    return _enqueue(Delivery.objects.filter(pk__in=delivery_ids))


def enqueue_deliveries_of_notifications(notification_ids: list[int]) -> int:
    """Hand the notifications' waiting deliveries to Celery, as `enqueue_deliveries` does."""
    return _enqueue(Delivery.objects.filter(notification_id__in=notification_ids))


def _enqueue(deliveries: QuerySet[Delivery]) -> int:
    from collab.tasks import deliver_notification, fan_out

    # Only rows still waiting: the transaction may have removed or settled some since.
    waiting = deliveries.filter(status=DeliveryStatus.PENDING)
    delivery_ids = list(waiting.values_list("pk", flat=True))
    try:
        return fan_out(deliver_notification, ((pk,) for pk in delivery_ids))
    except (OperationalError, OSError) as error:
        logger.warning(
            "Broker unavailable (%s); %d notification(s) will be sent by the outbox sweeper.",
            error,
            len(delivery_ids),
        )
        return 0
