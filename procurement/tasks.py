"""Thin Celery tasks for joint procurement: ids in, one call, safe to run twice."""

import datetime

from celery import shared_task
from django.utils import timezone

from collab.tasks import fan_out
from procurement import reminders


@shared_task
def send_closing_date_reminders() -> int:
    """Beat, daily: one task per open round whose closing date is 14, 3 or 0 days away and
    whose reminder for today is not yet sent."""
    today = timezone.localdate()
    return fan_out(
        remind_about_closing_date,
        ((pk, today.isoformat()) for pk in reminders.rounds_due_a_closing_reminder(today)),
    )


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def remind_about_closing_date(round_id: int, today: str) -> int:
    return len(
        reminders.closing_date_remind(round_id=round_id, today=datetime.date.fromisoformat(today))
    )
