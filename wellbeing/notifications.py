"""What staff ideas tell people: followers hear of status changes and new comments."""

from collections.abc import Iterator

from django.utils.text import Truncator

from collab.models import NotificationCategory
from collab.notifications.events import Event, Message, Recipient
from wellbeing.models import Comment, Idea


def _followers(idea: Idea) -> Iterator[Recipient]:
    for follow in idea.follows.select_related("person"):
        why = (
            "You suggested this idea."
            if follow.person_id == idea.author_id
            else "You follow this idea."
        )
        yield Recipient(follow.person, why)


def _status_message(idea: Idea, step: str) -> Message:
    reason = f" {Truncator(idea.status_reason).chars(500)}" if idea.status_reason else ""
    return Message(
        title=f"{idea.get_status_display()}: {idea.title}",
        body=f"The programme team changed the idea's status.{reason}",
        url=idea.get_absolute_url(),
        group_label=idea.campaign.title,
    )


idea_status_changed = Event(
    key="idea.status_changed",
    category=NotificationCategory.IDEAS,
    recipients=_followers,
    message=_status_message,
)


def _comment_message(comment: Comment, step: str) -> Message:
    idea = comment.idea
    return Message(
        title=f"New comment on {idea.title}",
        body=f"{comment.author.full_name}: {Truncator(comment.body).chars(300)}",
        url=f"{idea.get_absolute_url()}#comment-{comment.public_id}",
        group_label=idea.campaign.title,
    )


idea_commented = Event(
    key="idea.commented",
    category=NotificationCategory.IDEAS,
    recipients=lambda comment: _followers(comment.idea),
    message=_comment_message,
)
