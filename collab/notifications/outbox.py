"""notify(): the outbox. Rows are written in the caller's transaction; Celery sends after commit."""

from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

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
    frequencies = email_frequencies(list(recipients), event.category)
    notifications = [
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
    ]
    # Inside the change's transaction no savepoint is needed (two round trips fewer): nobody
    # catches a failure here and carries on, the whole change rolls back.
    with transaction.atomic(savepoint=False):
        # A notification written before (a retry) is kept as it was: the conflict "updates"
        # its kind to the same value only so that PostgreSQL returns its id with the new ones,
        # in the same round trip (issue 7: no second query to find them).
        Notification.objects.bulk_create(
            notifications,
            update_conflicts=True,
            unique_fields=["recipient", "kind", "target_type", "target_id", "step"],
            update_fields=["kind"],
        )
        unread_count_changed(recipients)
        deliveries = [
            Delivery(
                notification=notification,
                channel=Channel.EMAIL,
                frequency=frequencies[notification.recipient_id],
                status=_STATUS_FOR_FREQUENCY[frequencies[notification.recipient_id]],
            )
            for notification in notifications
        ]
        # Likewise, a delivery written before keeps its status; its id comes back too.
        Delivery.objects.bulk_create(
            deliveries,
            update_conflicts=True,
            unique_fields=["notification", "channel"],
            update_fields=["channel"],
        )
    to_send_now = [d.pk for d in deliveries if d.status == DeliveryStatus.PENDING]
    if to_send_now:
        # Queued once the change commits. A delivery written before may have been sent
        # already: its task finds nothing waiting and does nothing (delivery_send).
        transaction.on_commit(partial(queue_deliveries, to_send_now))
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
    """Hand deliveries to Celery, those still waiting. If the broker is down they wait for the
    sweeper: lose nothing."""
    # Only rows still waiting: the transaction may have removed or settled some since.
    waiting = Delivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.PENDING)
    return queue_deliveries(list(waiting.values_list("pk", flat=True)))


def queue_deliveries(delivery_ids: list[int]) -> int:
    """One task per delivery (each sends only if the delivery still waits)."""
    from collab.tasks import deliver_notification, fan_out_unless_broker_down

    return fan_out_unless_broker_down(
        deliver_notification,
        delivery_ids,
        left_waiting="notification(s) will be sent by the outbox sweeper",
    )
