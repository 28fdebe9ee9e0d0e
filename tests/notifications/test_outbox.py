"""The outbox: rows in the caller's transaction, one per person and step, sent once, retried
with backoff, and a permanent failure recorded."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from collab.models import (
    Delivery,
    DeliveryStatus,
    EmailFrequency,
    Notification,
    NotificationCategory,
    NotificationPreference,
)
from collab.notifications.delivery import (
    MAX_EMAIL_ATTEMPTS,
    SWEEP_GRACE,
    deliveries_waiting,
    delivery_send,
)
from collab.notifications.events import EVENTS, Event, Message, Recipient
from collab.notifications.outbox import (
    enqueue_deliveries,
    notify,
    queue_deliveries,
)
from tests.wellbeing.builders import staff

pytestmark = pytest.mark.django_db


def _trust_news_recipients(trust):
    return [Recipient(person, f"You work at {trust.name}.") for person in trust.people.all()]


trust_news = Event(
    key="test.trust_news",
    category=NotificationCategory.DECISIONS,
    recipients=_trust_news_recipients,
    message=lambda trust, step: Message(
        title=f"News for {trust.short_name}", body="Body.", url="/", group_label=trust.name
    ),
)


def test_an_event_key_cannot_be_declared_twice():
    with pytest.raises(ValueError, match="declared twice"):
        Event(key="test.trust_news", category="decisions", recipients=list, message=None)
    assert EVENTS["test.trust_news"] is trust_news


def test_one_notification_per_person_and_step_however_often_notify_runs(las, lead_of_las):
    first = notify(trust_news, las, step="a")
    again = notify(trust_news, las, step="a")
    notify(trust_news, las, step="b")

    assert [n.pk for n in first] == [n.pk for n in again]
    assert Notification.objects.filter(recipient=lead_of_las).count() == 2
    assert Delivery.objects.count() == 2


def test_a_retry_keeps_what_happened_to_the_first_and_sends_nothing_again(
    las, lead_of_las, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (first,) = notify(trust_news, las, step="a")
    Notification.objects.filter(pk=first.pk).update(read_at=timezone.now())
    assert len(mail.outbox) == 1  # eager in these tests

    with django_capture_on_commit_callbacks(execute=True):
        (again,) = notify(trust_news, las, step="a")

    assert again.pk == first.pk
    assert Notification.objects.get(pk=first.pk).read_at is not None
    assert Delivery.objects.get().status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


def test_notifying_takes_the_same_round_trips_however_many_are_told(
    las, lead_of_las, django_assert_num_queries
):
    for n in range(5):
        staff(las, n)
    # The recipients, their email preferences, the notifications, their deliveries.
    with django_assert_num_queries(4):
        told = notify(trust_news, las)
    assert len(told) == 6


@pytest.mark.parametrize(
    ("frequency", "status"),
    [
        (EmailFrequency.IMMEDIATE, DeliveryStatus.PENDING),
        (EmailFrequency.DAILY, DeliveryStatus.AWAITING_DIGEST),
        (EmailFrequency.WEEKLY, DeliveryStatus.AWAITING_DIGEST),
        (EmailFrequency.IN_APP, DeliveryStatus.SKIPPED),
    ],
)
def test_the_delivery_follows_the_persons_preference(las, lead_of_las, frequency, status):
    NotificationPreference.objects.create(
        person=lead_of_las, category=NotificationCategory.DECISIONS, frequency=frequency
    )
    notify(trust_news, las)

    delivery = Delivery.objects.get()
    assert (delivery.frequency, delivery.status) == (frequency, status)
    assert Notification.objects.filter(recipient=lead_of_las).count() == 1  # always in-app


def test_after_commit_the_email_is_sent_once(las, lead_of_las, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(trust_news, las)

    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SENT
    assert [m.to for m in mail.outbox] == [["lead.las@example.org"]]
    assert delivery_send(delivery_id=delivery.pk).status == "nothing to send"
    assert len(mail.outbox) == 1


def test_a_transient_failure_is_retried_with_backoff_then_recorded(las, lead_of_las, settings):
    settings.EMAIL_BACKEND = "tests.notifications.failing_mail.DisconnectingBackend"
    notify(trust_news, las)
    delivery = Delivery.objects.get()

    outcomes = [delivery_send(delivery_id=delivery.pk) for _ in range(MAX_EMAIL_ATTEMPTS)]

    assert [o.retry_in for o in outcomes] == [60, 120, 240, 480, None]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == MAX_EMAIL_ATTEMPTS
    assert "SMTPServerDisconnected" in delivery.last_error


def test_a_refused_address_fails_at_once(las, lead_of_las, settings):
    settings.EMAIL_BACKEND = "tests.notifications.failing_mail.RefusingBackend"
    notify(trust_news, las)

    outcome = delivery_send(delivery_id=Delivery.objects.get().pk)

    assert (outcome.status, outcome.retry_in) == (DeliveryStatus.FAILED, None)
    assert Delivery.objects.get().attempts == 1


def test_the_sweeper_finds_what_the_queue_missed_after_the_grace_period(las, lead_of_las):
    notify(trust_news, las)  # no on-commit here: as if the broker had been down
    delivery = Delivery.objects.get()
    now = timezone.now()

    assert deliveries_waiting(now) == []
    later = now + SWEEP_GRACE + datetime.timedelta(seconds=1)
    assert deliveries_waiting(later) == [delivery.pk]

    delivery_send(delivery_id=delivery.pk)
    assert deliveries_waiting(later) == []


def test_someone_deactivated_after_the_notification_is_not_emailed(las, lead_of_las):
    notify(trust_news, las)
    lead_of_las.is_active = False
    lead_of_las.save()

    outcome = delivery_send(delivery_id=Delivery.objects.get().pk)

    assert outcome.status == DeliveryStatus.SKIPPED
    assert mail.outbox == []


def test_only_deliveries_still_waiting_when_the_transaction_commits_are_queued(las, lead_of_las):
    notify(trust_news, las)
    ids = list(Delivery.objects.values_list("pk", flat=True))

    Delivery.objects.update(status=DeliveryStatus.SKIPPED)
    assert enqueue_deliveries(ids) == 0
    Delivery.objects.update(status=DeliveryStatus.PENDING)
    assert enqueue_deliveries(ids) == 1
    assert [m.to for m in mail.outbox] == [["lead.las@example.org"]]  # eager in these tests


@pytest.mark.parametrize(
    ("frequency", "queued_after_commit"),
    [(EmailFrequency.IMMEDIATE, 1), (EmailFrequency.DAILY, 0), (EmailFrequency.IN_APP, 0)],
)
def test_only_a_notification_with_an_email_to_send_now_queues_anything_after_commit(
    las, lead_of_las, django_capture_on_commit_callbacks, frequency, queued_after_commit
):
    NotificationPreference.objects.create(
        person=lead_of_las, category=NotificationCategory.DECISIONS, frequency=frequency
    )
    with django_capture_on_commit_callbacks() as after_commit:
        notify(trust_news, las)

    queued = [c for c in after_commit if c.func is queue_deliveries]
    assert len(queued) == queued_after_commit
    for callback in queued:
        callback()
    assert len(mail.outbox) == queued_after_commit
