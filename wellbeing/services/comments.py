"""Comments: replies one level deep, edits within 15 minutes, flags and moderation."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from collab.audit import audit_record
from collab.models import User
from collab.notifications.outbox import notify
from wellbeing import notifications as events
from wellbeing.errors import CommentRefused
from wellbeing.models import (
    COMMENT_MAX,
    EDIT_WINDOW_MINUTES,
    FLAGS_TO_HIDE,
    Comment,
    CommentFlag,
    CommentStatus,
    Idea,
)
from wellbeing.services.idea_lock import lock_idea_counting_a_comment


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise CommentRefused("Enter your comment", field="body")
    if len(body) > COMMENT_MAX:
        raise CommentRefused(
            f"Your comment is {len(body)} characters; it can be up to {COMMENT_MAX}.",
            field="body",
        )
    return body


def comment_post(*, idea: Idea, author: User, body: str, parent: Comment | None = None) -> Comment:
    """A comment, or a reply. A reply to a reply joins its thread (one level deep)."""
    body = _clean_body(body)
    if author.home_trust_id is None:
        raise CommentRefused("Comments come from staff of a trust; your account has no trust.")
    with transaction.atomic():
        # Counted first, under the lock; any refusal below rolls the count back.
        if not lock_idea_counting_a_comment(idea):
            raise CommentRefused("This idea is no longer there.")
        if not idea.takes_votes or not idea.campaign.accepts_votes_and_comments():
            raise CommentRefused("Comments on this idea have closed.")
        if parent is not None:
            if parent.idea_id != idea.pk:
                raise CommentRefused("You can only reply to a comment on this idea.")
            parent = parent.parent or parent
        comment = Comment.objects.create(
            idea=idea, author=author, body=body, parent=parent, followers_told=False
        )
        audit_record(
            actor=author,
            action="comment.posted",
            target=comment,
            trust=author.home_trust,
            context=idea,
            after={"reply_to": str(parent.public_id) if parent else None},
        )
        # The untold flag above is the outbox: the followers are told by the worker, which
        # picks new comments up every 30 seconds (`comments_with_untold_followers`). Writing
        # their notifications here took a third of the request, and queueing a task for
        # each comment a fifth of what was left (issue 7).
    return comment


def comment_tell_followers(*, comment_id: int) -> int:
    """Tell the idea's followers of a new comment, once: the comment is claimed under a lock,
    so a task that runs twice tells nobody twice. A comment removed in between tells nobody.
    Returns how many people were told."""
    with transaction.atomic():
        comment = (
            Comment.objects.select_for_update(of=("self",))
            .select_related("idea__campaign", "author")
            .filter(pk=comment_id, followers_told=False)
            .first()
        )
        if comment is None:
            return 0
        told = []
        if comment.status == CommentStatus.VISIBLE:
            told = notify(events.idea_commented, comment, actor=comment.author)
        Comment.objects.filter(pk=comment.pk).update(followers_told=True)
    return len(told)


def comments_with_untold_followers(limit: int = 5000) -> list[int]:
    """Comments whose followers are still to be told, oldest first (comment_untold_idx)."""
    return list(
        Comment.objects.filter(followers_told=False)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def comment_edit(*, comment: Comment, person: User, body: str) -> Comment:
    body = _clean_body(body)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.author_id != person.pk:
            raise CommentRefused("You can only edit your own comments.")
        if comment.status != CommentStatus.VISIBLE:
            raise CommentRefused("A hidden or removed comment cannot be edited.")
        if timezone.now() > comment.created_at + datetime.timedelta(minutes=EDIT_WINDOW_MINUTES):
            raise CommentRefused(
                f"Comments can be edited for {EDIT_WINDOW_MINUTES} minutes after posting. "
                "Add a new comment instead.",
                field="body",
            )
        before = comment.body
        comment.body = body
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "edited_at"])
        audit_record(
            actor=person,
            action="comment.edited",
            target=comment,
            trust=person.home_trust,
            context=comment.idea,
            before={"body": before},
            after={"body": body},
        )
    return comment


def comment_flag(*, comment: Comment, person: User, reason: str = "") -> Comment:
    """Anyone but the author flags a comment once; the third flag hides it for moderation."""
    if comment.author_id == person.pk:
        raise CommentRefused("You cannot flag your own comment; edit or ask a moderator.")
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.status == CommentStatus.REMOVED:
            raise CommentRefused("This comment has been removed already.")
        try:
            with transaction.atomic():
                CommentFlag.objects.create(comment=comment, person=person, reason=reason[:300])
        except IntegrityError:
            raise CommentRefused("You have flagged this comment already.") from None
        comment.flag_count += 1
        audit_record(
            actor=person,
            action="comment.flagged",
            target=comment,
            trust=person.home_trust,
            context=comment.idea,
            reason=reason[:300],
        )
        if comment.status == CommentStatus.VISIBLE and comment.flag_count >= FLAGS_TO_HIDE:
            comment.status = CommentStatus.HIDDEN
            audit_record(
                actor=None,
                action="comment.hidden",
                target=comment,
                context=comment.idea,
                reason=f"{FLAGS_TO_HIDE} people flagged it.",
            )
        comment.save(update_fields=["flag_count", "status"])
    return comment


def comment_moderate(*, comment: Comment, moderator: User, restore: bool, reason: str) -> Comment:
    """A moderator restores a comment (its flags start again from nought) or removes it."""
    reason = reason.strip()
    if not reason:
        raise CommentRefused("Give the reason for your decision.", field="reason")
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        before = comment.status
        if restore and before == CommentStatus.VISIBLE:
            raise CommentRefused("This comment is already visible.")
        if not restore and before == CommentStatus.REMOVED:
            raise CommentRefused("This comment has been removed already.")
        comment.status = CommentStatus.VISIBLE if restore else CommentStatus.REMOVED
        comment.moderated_by = moderator
        comment.moderated_at = timezone.now()
        comment.moderation_reason = reason
        if restore:
            comment.flag_count = 0
            comment.flags.all().delete()
        comment.save()
        if before != CommentStatus.REMOVED and not restore:
            Idea.objects.filter(pk=comment.idea_id).update(comment_count=F("comment_count") - 1)
        audit_record(
            actor=moderator,
            action="comment.restored" if restore else "comment.removed",
            target=comment,
            context=comment.idea,
            before=before,
            after=comment.status,
            reason=reason,
        )
    return comment
