"""Comments: replies one level deep, edits for 15 minutes, flags that hide, moderation."""

import datetime

import pytest
import time_machine
from celery import Task
from django.utils import timezone

from collab.models import AuditEvent, Notification
from tests.wellbeing.builders import open_campaign, staff, submitted_idea
from wellbeing.errors import CommentRefused
from wellbeing.models import Comment, CommentStatus, Idea, IdeaStatus
from wellbeing.services.comments import (
    comment_edit,
    comment_flag,
    comment_moderate,
    comment_post,
    comment_tell_followers,
    comments_with_untold_followers,
)
from wellbeing.services.ideas import idea_follow
from wellbeing.tasks import tell_followers_of_untold_comments

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(southern, admin_of_southern, staff_of_las):
    return submitted_idea(open_campaign(southern, admin_of_southern), staff_of_las)


def test_a_reply_to_a_reply_joins_the_thread_one_level_deep(idea, lead_of_las, lead_of_secamb):
    comment = comment_post(idea=idea, author=lead_of_las, body="Yes please.")
    reply = comment_post(idea=idea, author=lead_of_secamb, body="Agreed.", parent=comment)
    reply_to_reply = comment_post(idea=idea, author=lead_of_las, body="Thanks.", parent=reply)

    assert reply.parent == comment
    assert reply_to_reply.parent == comment
    assert Idea.objects.get(pk=idea.pk).comment_count == 3


def _told_about_comments() -> list[str]:
    return list(
        Notification.objects.filter(kind="idea.commented")
        .order_by("recipient__email")
        .values_list("recipient__email", flat=True)
    )


def test_a_comment_is_posted_untold_and_the_workers_round_tells_followers_but_not_its_author(
    idea, lead_of_las, staff_of_las, django_capture_on_commit_callbacks, monkeypatch
):
    idea_follow(idea=idea, person=lead_of_las, follow=True)
    queued = []
    monkeypatch.setattr(Task, "apply_async", lambda task, *a, **k: queued.append(task.name))
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_post(idea=idea, author=lead_of_las, body="Good idea.")
    # The request queues no task: the untold comment is the outbox.
    assert queued == []
    monkeypatch.undo()
    assert _told_about_comments() == []
    assert Comment.objects.get(pk=comment.pk).followers_told is False

    assert tell_followers_of_untold_comments() == 1  # its task runs here (eager in the tests)
    assert _told_about_comments() == ["staff.las@example.org"]
    assert Comment.objects.get(pk=comment.pk).followers_told is True
    assert tell_followers_of_untold_comments() == 0


def test_the_followers_are_told_of_a_comment_once_however_often_the_task_runs(
    idea, lead_of_las, lead_of_secamb
):
    idea_follow(idea=idea, person=lead_of_secamb, follow=True)
    comment = comment_post(idea=idea, author=lead_of_las, body="Good idea.")
    assert comment_tell_followers(comment_id=comment.pk) == 2
    assert comment_tell_followers(comment_id=comment.pk) == 0
    assert _told_about_comments() == ["lead.secamb@example.org", "staff.las@example.org"]


def test_a_comment_removed_before_its_task_runs_tells_nobody(idea, lead_of_las, admin_of_southern):
    comment = comment_post(idea=idea, author=lead_of_las, body="Something unkind.")
    comment_moderate(
        comment=comment, moderator=admin_of_southern, restore=False, reason="Personal attack."
    )
    assert comment_tell_followers(comment_id=comment.pk) == 0
    assert _told_about_comments() == []
    assert Comment.objects.get(pk=comment.pk).followers_told is True


def test_the_workers_round_finds_the_untold_comments_oldest_first(idea, lead_of_las):
    first = comment_post(idea=idea, author=lead_of_las, body="Good idea.")
    told_before = comment_post(idea=idea, author=lead_of_las, body="Told already.")
    comment_tell_followers(comment_id=told_before.pk)
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=5)):
        second = comment_post(idea=idea, author=lead_of_las, body="And nights?")

    assert comments_with_untold_followers() == [first.pk, second.pk]
    assert comments_with_untold_followers(limit=1) == [first.pk]


def test_an_empty_comment_is_refused_next_to_the_box(idea, lead_of_las):
    with pytest.raises(CommentRefused) as refused:
        comment_post(idea=idea, author=lead_of_las, body="   ")
    assert refused.value.field == "body"
    assert Idea.objects.get(pk=idea.pk).comment_count == 0


def test_the_author_can_edit_for_15_minutes_only(idea, lead_of_las, lead_of_secamb):
    comment = comment_post(idea=idea, author=lead_of_las, body="Typo here.")
    with pytest.raises(CommentRefused, match="your own"):
        comment_edit(comment=comment, person=lead_of_secamb, body="Hijack.")

    assert comment_edit(comment=comment, person=lead_of_las, body="Fixed.").edited_at
    edited = AuditEvent.objects.get(action="comment.edited")
    assert (edited.before, edited.after) == ({"body": "Typo here."}, {"body": "Fixed."})
    later = timezone.now() + datetime.timedelta(minutes=15, seconds=5)
    with time_machine.travel(later, tick=False), pytest.raises(CommentRefused, match="15 minutes"):
        comment_edit(comment=comment, person=lead_of_las, body="Too late.")
    comment.refresh_from_db()
    assert comment.body == "Fixed."


def test_three_flags_hide_a_comment_until_a_moderator_restores_or_removes_it(
    idea, las, lead_of_las, admin_of_southern
):
    comment = comment_post(idea=idea, author=lead_of_las, body="Something unkind.")
    flaggers = [staff(las, n) for n in range(3)]
    comment_flag(comment=comment, person=flaggers[0])
    comment_flag(comment=comment, person=flaggers[1])
    with pytest.raises(CommentRefused, match="already"):
        comment_flag(comment=comment, person=flaggers[1])
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE

    comment = comment_flag(comment=comment, person=flaggers[2])
    assert comment.status == CommentStatus.HIDDEN

    with pytest.raises(CommentRefused, match="reason"):
        comment_moderate(comment=comment, moderator=admin_of_southern, restore=True, reason="")
    restored = comment_moderate(
        comment=comment, moderator=admin_of_southern, restore=True, reason="Fair comment."
    )
    assert (restored.status, restored.flag_count) == (CommentStatus.VISIBLE, 0)

    removed = comment_moderate(
        comment=restored, moderator=admin_of_southern, restore=False, reason="Personal attack."
    )
    assert removed.status == CommentStatus.REMOVED
    assert Idea.objects.get(pk=idea.pk).comment_count == 0
    actions = list(
        AuditEvent.objects.filter(target_type="wellbeing.comment")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["comment.posted"] + ["comment.flagged"] * 3 + [
        "comment.hidden",
        "comment.restored",
        "comment.removed",
    ]


def test_nobody_flags_their_own_comment(idea, lead_of_las):
    comment = comment_post(idea=idea, author=lead_of_las, body="Mine.")
    with pytest.raises(CommentRefused, match="your own"):
        comment_flag(comment=comment, person=lead_of_las)


def test_comments_close_with_the_idea_even_if_the_page_was_loaded_before(idea, lead_of_las):
    loaded_earlier = Idea.objects.select_related("campaign").get(pk=idea.pk)
    Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.NOT_TAKEN_FORWARD)
    with pytest.raises(CommentRefused, match="have closed"):
        comment_post(idea=loaded_earlier, author=lead_of_las, body="Could this work on nights?")
    assert not idea.comments.exists()
    # The count went up under the lock, before the refusal, and rolled back with it.
    assert Idea.objects.get(pk=idea.pk).comment_count == 0


def test_a_reply_to_another_ideas_comment_is_refused_and_not_counted(
    idea, southern, admin_of_southern, staff_of_las, lead_of_las
):
    other_idea = submitted_idea(open_campaign(southern, admin_of_southern), staff_of_las)
    elsewhere = comment_post(idea=other_idea, author=lead_of_las, body="On the other idea.")
    with pytest.raises(CommentRefused, match="only reply to a comment on this idea"):
        comment_post(idea=idea, author=lead_of_las, body="A reply.", parent=elsewhere)
    assert Idea.objects.get(pk=idea.pk).comment_count == 0
    assert Idea.objects.get(pk=other_idea.pk).comment_count == 1
