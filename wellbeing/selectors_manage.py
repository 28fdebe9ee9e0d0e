"""Reads for the programme admins' pages of staff ideas: the moderation queue, the ideas a
duplicate can merge into, and where an idea can become a joint project.

The campaign or idea itself is always reached first through `wellbeing.selectors` (404 across
tenants) and its permission (403); these only shape what the page lists.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from collab.models import Collaboration, Trust, User
from collab.selectors import trusts_in_collaborations
from wellbeing.models import OPEN_STATUSES, Campaign, Comment, CommentFlag, CommentStatus, Idea


@dataclass(frozen=True)
class QueuedComment:
    """A hidden comment waiting for a moderator, with why people flagged it."""

    comment: Comment
    flag_count: int
    reasons: list[str]


def moderation_queue(campaign: Campaign) -> list[QueuedComment]:
    """The campaign's hidden comments, oldest first, each with its flags' reasons."""
    comments = (
        Comment.objects.filter(idea__campaign=campaign, status=CommentStatus.HIDDEN)
        .select_related("idea", "author", "author__home_trust", "parent")
        .prefetch_related(
            Prefetch("flags", queryset=CommentFlag.objects.order_by("created_at", "pk"))
        )
        .order_by("created_at", "pk")
    )
    return [
        QueuedComment(
            comment=comment,
            flag_count=len(comment.flags.all()),
            reasons=[flag.reason for flag in comment.flags.all() if flag.reason.strip()],
        )
        for comment in comments
    ]


def merge_targets(idea: Idea) -> QuerySet[Idea]:
    """The campaign's other open ideas, by title: what a duplicate can be merged into."""
    return (
        Idea.objects.filter(campaign_id=idea.campaign_id, status__in=OPEN_STATUSES)
        .exclude(pk=idea.pk)
        .order_by("title", "pk")
    )


def promotion_collaborations(user: User) -> QuerySet[Collaboration]:
    """Where this person can start a joint project draft: the collaborations they administer,
    and every collaboration for a site admin (who runs the national campaigns)."""
    if user.is_site_admin:
        return Collaboration.objects.order_by("name")
    return Collaboration.objects.filter(pk__in=user.administered_collaboration_ids).order_by("name")


def promotion_lead_trusts(collaborations: QuerySet[Collaboration]) -> QuerySet[Trust]:
    """The current member trusts of those collaborations: who can lead the project."""
    return trusts_in_collaborations(set(collaborations.values_list("pk", flat=True))).order_by(
        "name"
    )


def administered_collaborations(user: User) -> QuerySet[Collaboration]:
    """The collaborations a person can run a campaign for (a national one is for site admins)."""
    return Collaboration.objects.filter(pk__in=user.administered_collaboration_ids).order_by("name")
