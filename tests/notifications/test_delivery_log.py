"""The delivery log in the Django admin: site admins read what became of each email, and send
a failed one again; nobody adds, edits or deletes a row."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from collab.models import AuditEvent, Delivery, DeliveryStatus, Digest, EmailFrequency
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:collab_delivery_changelist")


def _delivery(
    person,
    *,
    status=DeliveryStatus.SENT,
    title="Decide by 1 June: AI triage",
    kind="project.opened",
    frequency=EmailFrequency.IMMEDIATE,
    **extra,
):
    return Delivery.objects.create(
        notification=NotificationFactory(recipient=person, title=title, kind=kind),
        frequency=frequency,
        status=status,
        **extra,
    )


@pytest.fixture
def failed(lead_of_las):
    return _delivery(
        lead_of_las,
        status=DeliveryStatus.FAILED,
        attempts=5,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed " + "x" * 300,
        next_attempt_at=timezone.now() - datetime.timedelta(hours=3),
    )


def test_a_site_admin_reads_the_delivery_log(client, site_admin, failed):
    client.force_login(site_admin)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    html = response.content.decode()
    assert "lead.las@example.org" in html
    assert "Decide by 1 June: AI triage" in html
    assert "project.opened" in html
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in html
    assert "x" * 100 not in html  # the error is shortened in the list


@pytest.mark.parametrize(
    "query",
    [
        {"status__exact": "failed"},
        {"channel__exact": "email"},
        {"frequency__exact": "immediate"},
        {"notification__kind": "project.opened"},
        {"q": "lead.las@example.org"},
        {"q": "AI triage"},
    ],
)
def test_the_log_filters_and_searches(client, site_admin, failed, lead_of_yas, query):
    _delivery(
        lead_of_yas,
        title="Something else entirely",
        kind="trust.decided",
        frequency=EmailFrequency.DAILY,
    )
    client.force_login(site_admin)

    html = client.get(CHANGELIST, query).content.decode()

    assert "Decide by 1 June: AI triage" in html
    if query != {"channel__exact": "email"}:
        assert "Something else entirely" not in html


def test_the_log_runs_the_same_queries_for_many_rows(
    client, site_admin, lead_of_las, django_assert_max_num_queries
):
    client.force_login(site_admin)
    _delivery(lead_of_las)
    with django_assert_max_num_queries(50) as few:
        client.get(CHANGELIST)
    for n in range(20):
        _delivery(lead_of_las, title=f"Update {n}")
    with django_assert_max_num_queries(50) as many:
        client.get(CHANGELIST)
    assert len(many) == len(few)


@pytest.mark.parametrize("persona", ["lead_of_las", "admin_of_southern", "staff_of_las"])
@pytest.mark.parametrize(
    "url", [CHANGELIST, reverse("admin:collab_digest_changelist")], ids=["deliveries", "digests"]
)
def test_nobody_but_site_admins_reads_the_log(client, request, persona, url):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(url)

    assert response.status_code == 302
    assert "login" in response.url


def test_the_log_is_read_only(client, site_admin, failed):
    client.force_login(site_admin)
    change = reverse("admin:collab_delivery_change", args=[failed.pk])

    assert client.get(reverse("admin:collab_delivery_add")).status_code == 403
    assert client.get(change).status_code == 200  # to read
    assert client.post(change, {"status": "sent"}).status_code == 403
    delete = reverse("admin:collab_delivery_delete", args=[failed.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.FAILED


def test_digests_are_listed_read_only(client, site_admin, lead_of_las):
    digest = Digest.objects.create(
        recipient=lead_of_las,
        frequency=EmailFrequency.WEEKLY,
        period_start=datetime.date(2026, 3, 2),
        status=DeliveryStatus.FAILED,
        last_error="SMTPServerDisconnected: gone",
    )
    client.force_login(site_admin)

    html = client.get(reverse("admin:collab_digest_changelist")).content.decode()

    assert "lead.las@example.org" in html
    assert "SMTPServerDisconnected: gone" in html
    assert client.get(reverse("admin:collab_digest_add")).status_code == 403
    delete = reverse("admin:collab_digest_delete", args=[digest.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


# --- Send again --------------------------------------------------------------------------------


def _send_again(client, *deliveries):
    return client.post(
        CHANGELIST,
        {"action": "send_again", "_selected_action": [d.pk for d in deliveries]},
        follow=True,
    )


def test_send_again_puts_a_failed_email_back_and_sends_it_after_commit(
    client, site_admin, failed, django_capture_on_commit_callbacks
):
    client.force_login(site_admin)

    with django_capture_on_commit_callbacks() as callbacks:
        response = _send_again(client, failed)

    assert response.status_code == 200
    assert "1 email queued to send again." in response.content.decode()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (DeliveryStatus.PENDING, 0)
    assert abs(failed.next_attempt_at - timezone.now()) < datetime.timedelta(minutes=1)
    assert mail.outbox == []  # nothing is sent before the transaction commits

    for callback in callbacks:
        callback()

    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.SENT
    assert [message.to for message in mail.outbox] == [["lead.las@example.org"]]


def test_send_again_leaves_emails_that_did_not_fail_alone(
    client, site_admin, failed, lead_of_las, django_capture_on_commit_callbacks
):
    sent = _delivery(lead_of_las, title="Already sent", attempts=1)
    waiting = _delivery(lead_of_las, title="Waiting", status=DeliveryStatus.AWAITING_DIGEST)
    client.force_login(site_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = _send_again(client, failed, sent, waiting)

    html = response.content.decode()
    assert "1 email queued to send again." in html
    assert "2 selected emails were not failed, so left alone." in html
    sent.refresh_from_db()
    waiting.refresh_from_db()
    assert (sent.status, sent.attempts) == (DeliveryStatus.SENT, 1)
    assert waiting.status == DeliveryStatus.AWAITING_DIGEST
    assert len(mail.outbox) == 1


def test_sending_again_is_audited(client, site_admin, failed, django_capture_on_commit_callbacks):
    client.force_login(site_admin)

    with django_capture_on_commit_callbacks():
        _send_again(client, failed)

    event = AuditEvent.objects.get(action="notifications.delivery_sent_again")
    assert event.actor == site_admin
    assert (event.before, event.after) == ("failed", "pending")
    assert event.target_id == str(failed.pk)


def test_only_site_admins_can_send_again(client, lead_of_las, failed):
    client.force_login(lead_of_las)

    response = client.post(CHANGELIST, {"action": "send_again", "_selected_action": [failed.pk]})

    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.FAILED
