"""A comment's followers are told by a real worker, on its round of untold comments (beat's
`tell-followers-of-untold-comments`): once each, never lost, and a comment posted while the
broker is down is posted all the same."""

import logging

import pytest
from django.core import mail

from tests.notifications.conftest import (
    drain,
    emails,
    emails_for,
    nothing_pending,
    notifications,
    wait_until,
)
from tests.wellbeing.builders import open_campaign, submitted_idea
from wellbeing.models import Comment
from wellbeing.services.comments import comment_post
from wellbeing.services.ideas import idea_follow
from wellbeing.tasks import tell_followers_of_untold_comments

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def followed_idea(southern, admin_of_southern, staff_of_las, lead_of_secamb):
    """Followed by its author (LAS staff) and by the SECAmb lead."""
    idea = submitted_idea(open_campaign(southern, admin_of_southern), staff_of_las)
    idea_follow(idea=idea, person=lead_of_secamb, follow=True)
    return idea


def _told(comment: Comment) -> bool:
    return Comment.objects.get(pk=comment.pk).followers_told


def test_the_workers_round_tells_the_followers_of_a_new_comment_and_emails_them(
    real_worker, followed_idea, lead_of_las
):
    mail.outbox.clear()
    comment = comment_post(idea=followed_idea, author=lead_of_las, body="Nights too?")
    drain()
    assert not _told(comment)  # the request queued nothing

    tell_followers_of_untold_comments.delay()  # what beat sends every 30 seconds
    wait_until(lambda: _told(comment), what="the followers to be told")
    drain()

    told = notifications(kind="idea.commented")
    assert sorted(n.recipient.email for n in told) == [
        "lead.secamb@example.org",
        "staff.las@example.org",
    ]
    assert nothing_pending()
    assert emails() == emails_for(told)


def test_a_comment_posted_while_redis_is_down_is_told_once_it_is_back(
    worker_on_private_redis, private_redis, followed_idea, lead_of_las, caplog
):
    caplog.set_level(logging.WARNING)
    drain()
    mail.outbox.clear()

    private_redis.stop()
    comment = comment_post(idea=followed_idea, author=lead_of_las, body="Nights too?")
    assert "Broker unavailable" not in caplog.text  # posting never touches the broker
    assert not _told(comment)
    assert notifications(kind="idea.commented") == []

    private_redis.start()
    tell_followers_of_untold_comments.delay()
    wait_until(lambda: _told(comment), what="the followers to be told")
    drain(timeout=60)
    assert tell_followers_of_untold_comments() == 0

    told = notifications(kind="idea.commented")
    assert len(told) == 2
    # The deliveries' own tasks were queued on the private broker and sent.
    wait_until(nothing_pending, what="the emails to be sent")
    assert emails() == emails_for(told)
