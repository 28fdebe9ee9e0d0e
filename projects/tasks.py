"""Thin Celery tasks for joint projects: ids in, one service call, safe to run twice."""

import datetime

from celery import shared_task
from django.utils import timezone

from collab.tasks import fan_out
from projects import reminders, services


@shared_task
def start_projects_past_deadline() -> int:
    """Beat, daily: fan out one task per open project whose decision deadline has passed."""
    return fan_out(start_project_at_deadline, ((pk,) for pk in services.projects_past_deadline()))


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def start_project_at_deadline(project_id: int) -> str | None:
    project = services.project_start_at_deadline(project_id=project_id)
    return project.status if project else None


@shared_task
def send_commitment_reminders() -> int:
    """Beat, daily: one task per commitment whose reminder (or escalation) is due today."""
    today = timezone.localdate()
    return fan_out(
        remind_about_commitment,
        ((pk, today.isoformat()) for pk in reminders.commitments_due_a_reminder(today)),
    )


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def remind_about_commitment(commitment_id: int, today: str) -> int:
    return len(
        reminders.commitment_remind(
            commitment_id=commitment_id, today=datetime.date.fromisoformat(today)
        )
    )


@shared_task
def send_deadline_reminders() -> int:
    """Beat, daily: one task per open project whose decision deadline is 7, 2 or 0 days away."""
    today = timezone.localdate()
    return fan_out(
        remind_about_deadline,
        ((pk, today.isoformat()) for pk in reminders.projects_due_a_deadline_reminder(today)),
    )


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def remind_about_deadline(project_id: int, today: str) -> int:
    return len(
        reminders.deadline_remind(project_id=project_id, today=datetime.date.fromisoformat(today))
    )
