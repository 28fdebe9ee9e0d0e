"""Reads for staff ideas, scoped to the person: who sees which campaign and idea.

Staff see the campaigns of the collaborations their trust belongs to, and national ones.
Nobody else sees a campaign: it answers 404 like one that does not exist.
"""

import datetime
import uuid
from dataclasses import dataclass
from functools import cached_property

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, FilteredRelation, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from collab.models import Trust, User
from collab.page_cache import ACCESS, IDEAS, PROJECTS, CachedPart, cached_value, cached_values
from collab.selectors import member_collaboration_ids
from projects.models import Commitment, CommitmentStatus, JointProject, ParticipationStatus
from projects.selectors import can_see_project
from wellbeing.models import (
    PUBLISHED_STATUSES,
    Campaign,
    Comment,
    CommentFlag,
    Idea,
    IdeaAttachment,
    IdeaStatus,
    Theme,
)


def visible_campaign_ids(user: User) -> list[int]:
    """The campaigns the person sees: national ones, those of the collaborations their trust
    belongs to today, and those of the collaborations they administer.

    Every idea, vote and comment look-up starts here, so the answer is cached for everyone of
    the same trust and programme roles (issue 7): the look-ups then filter on a short list of
    ids, rather than the ORM building (and PostgreSQL planning) a subquery on memberships each
    time. Campaigns, memberships and roles renew the access area when they change."""
    return cached_values([visible_campaigns_part(user)])[0]


def visible_campaigns_part(user: User) -> CachedPart:
    """`visible_campaign_ids` as a part, for a page that reads it with others in one round
    trip (the idea's page, with the idea)."""
    administered = sorted(user.administered_collaboration_ids)

    def compute() -> list[int]:
        member_of = member_collaboration_ids(user.home_trust_id)
        return list(
            Campaign.objects.filter(
                Q(collaboration__isnull=True) | Q(collaboration_id__in=[*member_of, *administered])
            ).values_list("pk", flat=True)
        )

    vary_on = (user.home_trust_id, *administered, timezone.localdate())
    return CachedPart(ACCESS, "visible-campaigns", vary_on, compute)


def _in_visible_campaigns(user: User, field: str) -> Q | None:
    """The condition on `field` (a campaign's id) for what the person sees; None for all."""
    if not user.is_authenticated:
        return Q(**{f"{field}__in": []})
    if user.is_site_admin:
        return None
    return Q(**{f"{field}__in": visible_campaign_ids(user)})


def _sees_campaign(user: User, campaign_id: int, visible_ids: list[int] | None = None) -> bool:
    """The rule of `_in_visible_campaigns`, for one campaign (`visible_ids`: the person's
    `visible_campaign_ids`, if already read)."""
    if not user.is_authenticated:
        return False
    if user.is_site_admin:
        return True
    return campaign_id in (visible_campaign_ids(user) if visible_ids is None else visible_ids)


def campaigns_visible_to(user: User) -> QuerySet[Campaign]:
    condition = _in_visible_campaigns(user, "pk")
    return Campaign.objects.filter(condition) if condition else Campaign.objects.all()


def ideas_visible_to(user: User) -> QuerySet[Idea]:
    """Published ideas of visible campaigns, and the person's own drafts."""
    ideas = Idea.objects.filter(Q(status__in=PUBLISHED_STATUSES) | Q(author_id=user.pk))
    condition = _in_visible_campaigns(user, "campaign_id")
    return ideas.filter(condition) if condition else ideas


def get_campaign_for_user(user: User, campaign_slug: str) -> Campaign:
    campaign = (
        campaigns_visible_to(user)
        .select_related("collaboration")
        .filter(slug=campaign_slug)
        .first()
    )
    if campaign is None:
        raise Http404("No such campaign.")
    return campaign


def get_idea_for_user(user: User, idea_id: str) -> Idea:
    """The idea, or 404, with what its page shows (campaign, collaboration, author, trust,
    theme, the idea it was merged into)."""
    idea = (
        ideas_visible_to(user)
        .select_related("campaign__collaboration", "author", "trust", "theme", "merged_into")
        .filter(public_id=idea_id)
        .first()
    )
    if idea is None:
        raise Http404("No such idea.")
    return idea


def _sees_idea(user: User, idea: Idea, visible_ids: list[int] | None = None) -> bool:
    """The rule of `ideas_visible_to`, for one idea."""
    if idea.status not in PUBLISHED_STATUSES and idea.author_id != user.pk:
        return False
    return _sees_campaign(user, idea.campaign_id, visible_ids)


def _select_list(model: type, alias: str) -> str:
    return ", ".join(f'{alias}."{field.column}"' for field in model._meta.concrete_fields)


# The idea and its campaign in plain SQL: the ORM took about 1 ms to build this query, a fifth
# of a vote or a comment (issue 7). The columns' names come from the models (not from input),
# so a new field is read without a change here; none of them needs a converter
# (tests/wellbeing/test_idea_lookup.py).
_IDEA_FIELDS = [field.attname for field in Idea._meta.concrete_fields]
_CAMPAIGN_FIELDS = [field.attname for field in Campaign._meta.concrete_fields]
_IDEA_AND_CAMPAIGN_SQL = (
    f"SELECT {_select_list(Idea, 'i')}, {_select_list(Campaign, 'c')}"  # noqa: S608
    " FROM wellbeing_idea i JOIN wellbeing_campaign c ON c.id = i.campaign_id"
    " WHERE i.public_id = %(idea)s"
)


def get_idea_to_take_part(user: User, idea_id: uuid.UUID) -> Idea:
    """The idea with its campaign alone, or 404, for a vote or a comment: read from the
    database (they change it), the rule applied with `_sees_idea`."""
    with connection.cursor() as cursor:
        cursor.execute(_IDEA_AND_CAMPAIGN_SQL, {"idea": idea_id})
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such idea.")
    split = len(_IDEA_FIELDS)
    idea = Idea.from_db(connection.alias, _IDEA_FIELDS, row[:split])
    idea.campaign = Campaign.from_db(connection.alias, _CAMPAIGN_FIELDS, row[split:])
    if not _sees_idea(user, idea):
        raise Http404("No such idea.")
    return idea


def get_idea_for_page(user: User, idea_id: str) -> Idea:
    """The idea with its campaign, for the idea's page, which only reads: both come from the
    page cache (renewed by every vote, comment and review of an idea), and whether the person
    sees it from their cached list of visible campaigns, read in the same round trip: no
    query on a hit (issue 7). Whatever changes the idea loads it from the database
    (`get_idea_for_user`, `get_idea_to_take_part`)."""

    def load() -> Idea | None:
        return Idea.objects.select_related("campaign").filter(public_id=idea_id).first()

    idea, visible_ids = cached_values(
        [CachedPart(IDEAS, "idea-by-id", (str(idea_id),), load), visible_campaigns_part(user)]
    )
    if idea is None or not _sees_idea(user, idea, visible_ids):
        raise Http404("No such idea.")
    return idea


def get_comment_for_user(user: User, comment_id: str) -> Comment:
    comment = (
        Comment.objects.filter(idea__in=ideas_visible_to(user), public_id=comment_id)
        .select_related("idea__campaign", "author")
        .first()
    )
    if comment is None:
        raise Http404("No such comment.")
    return comment


@dataclass(frozen=True)
class CampaignListing:
    """A campaign, with the choices of its idea list's filters."""

    campaign: Campaign
    themes: list[Theme]
    trusts: list[Trust]


def get_campaign_listing_for_user(user: User, campaign_slug: str) -> CampaignListing:
    """`get_campaign_for_user` for the campaign's list of ideas, which only reads: the campaign
    and its filters' choices come from the page cache (renewed when a campaign, theme or idea
    changes), and whether the person sees it from their cached list of visible campaigns: no
    query on a hit, and both in one round trip to Redis (issue 7)."""

    def load() -> CampaignListing | None:
        campaign = Campaign.objects.select_related("collaboration").filter(slug=campaign_slug)
        campaign = campaign.first()
        if campaign is None:
            return None
        themes = list(campaign.themes.all())
        return CampaignListing(campaign, themes, list(campaign_trusts(campaign)))

    listing, visible_ids = cached_values(
        [
            CachedPart(IDEAS, "campaign-listing", (campaign_slug,), load),
            visible_campaigns_part(user),
        ]
    )
    if listing is None or not _sees_campaign(user, listing.campaign.pk, visible_ids):
        raise Http404("No such campaign.")
    return listing


# --- The idea list of a campaign (staff side) ----------------------------------------------------

TRENDING_DAYS = 7
IDEA_SORTS = {
    "votes": "Most votes",
    "newest": "Newest",
    "discussed": "Most discussed",
    "trending": f"Trending (votes in the last {TRENDING_DAYS} days)",
}


def idea_list(
    user: User,
    campaign: Campaign,
    *,
    theme: Theme | None = None,
    status: str | None = None,
    trust: Trust | None = None,
    sort: str = "votes",
    search: str = "",
) -> QuerySet[Idea]:
    """A campaign's published ideas as the list shows them, filtered and sorted.

    One query for the rows whatever the size of the campaign: the counts are the denormalised
    `vote_count` and `comment_count`, and the theme, trust and author come in the same query
    (which of them the person voted for is `ideas_voted_by`). Sorting by votes walks
    `idea_campaign_votes_idx` (campaign, -vote_count, -id; drafts excluded); newest walks
    `idea_campaign_newest_idx`. Trending counts each idea's votes of the last seven days
    through a join restricted to them (`vote_recent_idx`).
    """
    # The campaign's published ideas. Not ideas_visible_to(user): its "or the person's own
    # draft" would leave the partial indexes unusable, and drafts are not listed anyway. With
    # exactly the indexes' condition (status <> draft) the page's COUNT is an index-only scan.
    ideas = Idea.objects.filter(campaign=campaign).exclude(status=IdeaStatus.DRAFT)
    condition = _in_visible_campaigns(user, "campaign_id")
    if condition:
        ideas = ideas.filter(condition)
    if theme is not None:
        ideas = ideas.filter(theme=theme)
    if status:
        ideas = ideas.filter(status=status)
    if trust is not None:
        ideas = ideas.filter(trust=trust)
    search = search.strip()
    if search:
        ideas = _idea_search(ideas, search)
    ideas = ideas.select_related("theme", "trust", "author")
    if sort == "newest":
        return ideas.order_by("-submitted_at", "-pk")
    if sort == "discussed":
        return ideas.order_by("-comment_count", "-vote_count", "-pk")
    if sort == "trending":
        since = timezone.now() - datetime.timedelta(days=TRENDING_DAYS)
        return ideas.annotate(
            recent=FilteredRelation("votes", condition=Q(votes__created_at__gte=since)),
            recent_votes=Count("recent"),
        ).order_by("-recent_votes", "-vote_count", "-pk")
    return ideas.order_by("-vote_count", "-pk")


def ideas_voted_by(user: User, idea_ids: list[int]) -> set[int]:
    """Which of these ideas the person has voted for (a page of the list at a time)."""
    if not idea_ids:
        return set()
    # In SQL: the ORM took longer to build this than PostgreSQL to answer it (issue 7).
    with connection.cursor() as cursor:
        cursor.execute(_IDEAS_VOTED_BY_SQL, {"person": user.pk, "ideas": idea_ids})
        return {idea_id for (idea_id,) in cursor.fetchall()}


_IDEAS_VOTED_BY_SQL = (
    "SELECT idea_id FROM wellbeing_vote WHERE person_id = %(person)s AND idea_id = ANY(%(ideas)s)"
)


def _idea_search(ideas: QuerySet[Idea], search: str) -> QuerySet[Idea]:
    """PostgreSQL full-text search over the title, the problem and the idea, in English and as
    people type into search boxes ("quoted phrases", -excluded words, or); a plain
    case-insensitive match on SQLite, the local demo."""
    if connection.vendor == "postgresql":
        return ideas.alias(
            document=SearchVector("title", "problem", "proposal", config="english")
        ).filter(document=SearchQuery(search, search_type="websearch", config="english"))
    return ideas.filter(
        Q(title__icontains=search) | Q(problem__icontains=search) | Q(proposal__icontains=search)
    )


class CountedPaginator(Paginator):
    """A paginator told its count, so that it does not run a COUNT query of its own."""

    def __init__(self, object_list, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count


def idea_list_paginator(
    ideas: QuerySet[Idea], campaign: Campaign, filters: dict, per_page: int
) -> Paginator:
    """The list's paginator. Unfiltered, the list is every idea sent in to the campaign, which
    `Campaign.idea_count` keeps: no COUNT over a national campaign's ideas on each request."""
    narrowed = any(filters.get(key) for key in ("theme", "status", "trust", "search"))
    if narrowed:
        return Paginator(ideas, per_page)
    return CountedPaginator(ideas, per_page, campaign.idea_count)


def campaign_trusts(campaign: Campaign) -> QuerySet[Trust]:
    """The trusts whose staff have published ideas in the campaign: the list's trust filter."""
    published = Idea.objects.filter(campaign=campaign).exclude(status=IdeaStatus.DRAFT)
    return Trust.objects.filter(pk__in=published.values("trust_id")).order_by("short_name")


def get_attachment_for_user(user: User, attachment_id: str) -> IdeaAttachment:
    """An attachment of an idea the person may see; 404 otherwise."""
    attachment = (
        IdeaAttachment.objects.filter(idea__in=ideas_visible_to(user), public_id=attachment_id)
        .select_related("idea__campaign")
        .first()
    )
    if attachment is None:
        raise Http404("No such attachment.")
    return attachment


# --- An idea's page (staff side) -----------------------------------------------------------------


# An idea's page shows this many threads (a comment with its replies) at a time: the most
# discussed ideas of a national campaign have hundreds of comments.
COMMENT_THREADS_PER_PAGE = 20


@dataclass(frozen=True)
class CommentThreads:
    """A page of an idea's threads, oldest first, each with its replies in `thread_replies`."""

    page: Page
    threads: list[Comment]
    total: int  # every comment on the idea, replies, hidden and removed ones included


@dataclass(frozen=True)
class IdeaMarks:
    """What the idea's page says of the person and of ideas merged into it."""

    voted: bool
    following: bool
    merged_in_count: int
    # Whether any comment on the idea is theirs, or reported by them: only then do the comments
    # look different to them (edit links, "You reported this comment").
    commented_or_flagged: bool = False


# The person's marks on one idea, and the ideas merged into it (idea_marks).
_IDEA_MARKS_SQL = """
    SELECT
      EXISTS (SELECT 1 FROM wellbeing_vote WHERE idea_id = %(idea)s AND person_id = %(person)s),
      EXISTS (SELECT 1 FROM wellbeing_follow WHERE idea_id = %(idea)s AND person_id = %(person)s),
      EXISTS (
        SELECT 1 FROM wellbeing_comment WHERE idea_id = %(idea)s AND author_id = %(person)s
      ),
      EXISTS (
        SELECT 1 FROM wellbeing_commentflag flag
        JOIN wellbeing_comment comment ON comment.id = flag.comment_id
        WHERE comment.idea_id = %(idea)s AND flag.person_id = %(person)s
      ),
      (SELECT COUNT(*) FROM wellbeing_idea WHERE merged_into_id = %(idea)s)
"""


def idea_marks(idea: Idea, user: User) -> IdeaMarks:
    """The person's vote, follow, comments and reports, and how many ideas were merged in: one
    round trip rather than five (issue 7).

    Written in SQL: the ORM took 2.2 ms to build this query's four EXISTS and the count, and
    PostgreSQL 0.2 ms to answer it; every view of an idea's page asks it."""
    with connection.cursor() as cursor:
        cursor.execute(_IDEA_MARKS_SQL, {"idea": idea.pk, "person": user.pk})
        voted, following, commented, flagged, merged_in_count = cursor.fetchone()
    return IdeaMarks(
        voted=voted,
        following=following,
        merged_in_count=merged_in_count,
        commented_or_flagged=commented or flagged,
    )


def comment_threads(
    idea: Idea, user: User | None, number: str | int | None = None
) -> CommentThreads:
    """Page `number` of the idea's threads (the last page if past it), in three queries however
    many comments the idea has: the counts, the page's comments with their replies, and the
    person's flags (each comment carries `flagged_by_me`, for the "Report" button). With no
    `user` (the threads as everyone sees them), nothing is flagged and there is no third query.

    Replies are one level deep (`comment_post` files a reply to a reply under its thread)."""
    counts = Comment.objects.filter(idea=idea).aggregate(
        total=Count("pk"), threads=Count("pk", filter=Q(parent__isnull=True))
    )
    # comment_thread_idx (idea, created_at) walks the idea's comments in order.
    top_level = Comment.objects.filter(idea=idea, parent__isnull=True).order_by("created_at", "pk")
    paginator = CountedPaginator(top_level, COMMENT_THREADS_PER_PAGE, counts["threads"])
    page = paginator.get_page(paginator.num_pages if number == LAST_PAGE else number)
    on_page = page.object_list.values("pk")  # a subquery: the page's threads
    comments = list(
        # The idea's own comments first (comment_thread_idx), then those of the page's threads.
        Comment.objects.filter(idea=idea)
        .filter(Q(pk__in=on_page) | Q(parent_id__in=on_page))
        .select_related("author")
        .order_by("created_at", "pk")
    )
    flagged = (
        set(
            CommentFlag.objects.filter(comment__idea=idea, person_id=user.pk).values_list(
                "comment_id", flat=True
            )
        )
        if user is not None
        else set()
    )
    threads = [comment for comment in comments if comment.parent_id is None]
    by_pk = {comment.pk: comment for comment in threads}
    for comment in comments:
        comment.flagged_by_me = comment.pk in flagged
        comment.thread_replies = []
    for comment in comments:
        if comment.parent_id is not None:
            by_pk[comment.parent_id].thread_replies.append(comment)
    return CommentThreads(page=page, threads=threads, total=counts["total"])


# The `page` of an idea's threads that is always the last: where a new comment's thread is.
LAST_PAGE = "last"


def comment_page_number(comment: Comment) -> int:
    """The page of its idea's threads that shows the comment (a reply is on its thread's)."""
    thread = comment.parent if comment.parent_id is not None else comment
    earlier = Comment.objects.filter(idea_id=thread.idea_id, parent__isnull=True).filter(
        Q(created_at__lt=thread.created_at) | Q(created_at=thread.created_at, pk__lt=thread.pk)
    )
    return earlier.count() // COMMENT_THREADS_PER_PAGE + 1


@dataclass(frozen=True)
class ProjectProgress:
    """Where the joint project an idea became has got to, for the idea's page."""

    project: JointProject
    visible: bool  # whether the person may open the project's page
    trusts_in: int
    commitments: int
    delivered: int


def idea_project_progress(idea: Idea, user: User) -> ProjectProgress | None:
    """How the project an idea became is going, for the idea's page. The figures are the same
    for everyone and come from the page cache (renewed by any change to projects); whether the
    person may open the project is theirs."""
    if idea.project_id is None:
        return None

    def figures() -> tuple[JointProject, int, int, int]:
        project = JointProject.objects.get(pk=idea.project_id)
        counts = Commitment.objects.filter(participation__project=project).aggregate(
            total=Count("pk", filter=~Q(status=CommitmentStatus.WITHDRAWN)),
            delivered=Count("pk", filter=Q(status=CommitmentStatus.ACCEPTED)),
        )
        trusts_in = project.participations.filter(
            status__in=[ParticipationStatus.OPTED_IN, ParticipationStatus.COMMITTED]
        ).count()
        return project, trusts_in, counts["total"], counts["delivered"]

    project, trusts_in, commitments, delivered = cached_value(
        PROJECTS, "idea-project-progress", (idea.project_id,), figures
    )
    return ProjectProgress(
        project=project,
        visible=can_see_project(user, project),
        trusts_in=trusts_in,
        commitments=commitments,
        delivered=delivered,
    )
