"""Thin Celery tasks for joint projects: ids in, one service call, safe to run twice."""

from celery import shared_task

from projects import services


@shared_task
def start_projects_past_deadline() -> int:
    """Beat, daily: fan out one task per open project whose decision deadline has passed."""
    project_ids = services.projects_past_deadline()
    for project_id in project_ids:
        start_project_at_deadline.delay(project_id)
    return len(project_ids)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def start_project_at_deadline(project_id: int) -> str | None:
    project = services.project_start_at_deadline(project_id=project_id)
    return project.status if project else None
