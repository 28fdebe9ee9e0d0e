"""Thin Celery tasks: ids in, one service call, safe to run twice."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings

from collab import services


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, max_retries=5)
def send_invitation_email(invitation_id: int) -> bool:
    return services.invitation_send_email(invitation_id=invitation_id, site_url=settings.SITE_URL)
