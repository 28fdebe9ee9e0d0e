"""Celery tasks of the core, run by a real worker consuming from the real Redis broker."""

import pytest
from django.core import mail

from collab.models import Invitation, Role
from collab.services import invitation_create
from collab.tasks import send_invitation_email


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_emails_an_invitation_once_even_when_the_task_runs_twice(
    real_worker, las, admin_of_southern
):
    invitation = invitation_create(
        trust=las,
        email="new.lead@example.org",
        full_name="New Lead",
        role=Role.TRUST_LEAD,
        invited_by=admin_of_southern,
    )
    # invitation_create queued one task on commit; queue a duplicate, as a retry would.
    first = send_invitation_email.apply_async((invitation.pk,), ignore_result=False)
    second = send_invitation_email.apply_async((invitation.pk,), ignore_result=False)
    outcomes = sorted([first.get(timeout=30), second.get(timeout=30)])

    invitation.refresh_from_db()
    assert invitation.emailed_at is not None
    assert [message.to for message in mail.outbox] == [["new.lead@example.org"]]
    # The task queued by the service may have sent it, so both of ours may report "already sent".
    assert outcomes in ([False, False], [False, True])


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_does_not_email_a_revoked_invitation(real_worker, las, admin_of_southern):
    invitation = Invitation.objects.create(
        trust=las,
        email="gone@example.org",
        role=Role.STAFF,
        invited_by=admin_of_southern,
        expires_at="2099-01-01T00:00:00Z",
        revoked_at="2026-01-01T00:00:00Z",
    )
    result = send_invitation_email.apply_async((invitation.pk,), ignore_result=False)
    assert result.get(timeout=30) is False
    assert mail.outbox == []
