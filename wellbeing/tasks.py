"""Thin Celery tasks for staff ideas: ids in, one service call, safe to run twice."""

from celery import shared_task

from collab.tasks import fan_out
from wellbeing.services import comments


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def tell_followers_of_comment(comment_id: int) -> int:
    return comments.comment_tell_followers(comment_id=comment_id)


@shared_task
def tell_followers_of_untold_comments() -> int:
    """Beat, every 30 seconds: a task for each new comment whose followers are untold (the
    comment is the outbox; its task claims it, so a comment queued twice tells nobody twice)."""
    return fan_out(
        tell_followers_of_comment,
        ((pk,) for pk in comments.comments_with_untold_followers()),
    )
