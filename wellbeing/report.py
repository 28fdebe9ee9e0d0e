"""A campaign's report for its programme admins: what came in, what people backed, who took part,
and what became of it. The page and its CSV download both read from here.

What is counted:
- Ideas: every idea sent in (drafts are not), whatever its status since, merged and not taken
  forward included: "78 new ideas" counts what staff sent.
- Votes: the vote rows. A merged idea's votes moved to the idea it joined (someone who backed
  both counts once), so they are counted there.
- Comments: comments and replies that a moderator has not removed (hidden ones waiting for a
  moderator are counted: they were written).
- Participation by trust: ideas by the author's trust when they sent it; votes by the voter's
  trust when they voted; comments by the author's trust now (a comment keeps no trust); people:
  everyone who sent an idea, voted or commented, each counted once per trust.
- Top ideas per theme: the three ideas with the most votes (at least one), merged ideas aside;
  a tie goes to the idea sent in first.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, F, QuerySet
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from collab.models import Trust
from collab.selectors import current_member_trusts
from projects.exports import Cell
from wellbeing.models import (
    PUBLISHED_STATUSES,
    Campaign,
    Comment,
    CommentStatus,
    Idea,
    IdeaStatus,
    Theme,
    Vote,
)

TOP_IDEAS_PER_THEME = 3
NO_THEME = "No theme yet"


@dataclass(frozen=True)
class ThemeFigures:
    theme: Theme | None  # None: the ideas not filed under a theme yet
    name: str
    ideas: int
    votes: int
    comments: int
    top_ideas: list[Idea]


@dataclass(frozen=True)
class TrustFigures:
    trust: Trust | None  # None: votes or comments from people with no trust on record
    name: str
    ideas: int
    votes: int
    comments: int
    people: int

    @property
    def took_part(self) -> bool:
        return self.people > 0


@dataclass(frozen=True)
class StatusFigure:
    status: str
    label: str
    ideas: int


@dataclass(frozen=True)
class Totals:
    ideas: int
    votes: int
    comments: int
    people: int
    trusts: int  # trusts with at least one person taking part


@dataclass(frozen=True)
class CampaignReport:
    campaign: Campaign
    generated_at: datetime.datetime
    totals: Totals
    by_status: list[StatusFigure]
    themes: list[ThemeFigures]
    trusts: list[TrustFigures]
    adopted: list[Idea]


def _ideas(campaign: Campaign) -> QuerySet[Idea]:
    return Idea.objects.filter(campaign=campaign, status__in=PUBLISHED_STATUSES)


def _votes(campaign: Campaign) -> QuerySet[Vote]:
    return Vote.objects.filter(idea__campaign=campaign, idea__status__in=PUBLISHED_STATUSES)


def _comments(campaign: Campaign) -> QuerySet[Comment]:
    return Comment.objects.filter(
        idea__campaign=campaign, idea__status__in=PUBLISHED_STATUSES
    ).exclude(status=CommentStatus.REMOVED)


def _counts(queryset: QuerySet, key: str) -> dict[int | None, int]:
    return {
        row[key]: row["n"]
        for row in queryset.order_by().values(key).annotate(n=Count("pk")).values(key, "n")
    }


def _top_ideas(campaign: Campaign) -> dict[int | None, list[Idea]]:
    ranked = (
        _ideas(campaign)
        .exclude(status=IdeaStatus.MERGED)
        .filter(vote_count__gt=0)
        .select_related("trust")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("theme_id")],
                order_by=[F("vote_count").desc(), F("submitted_at").asc(), F("pk").asc()],
            )
        )
        .filter(rank__lte=TOP_IDEAS_PER_THEME)
        .order_by("theme_id", "rank")
    )
    top: dict[int | None, list[Idea]] = defaultdict(list)
    for idea in ranked:
        top[idea.theme_id].append(idea)
    return top


def _theme_figures(campaign: Campaign) -> list[ThemeFigures]:
    ideas = _counts(_ideas(campaign), "theme_id")
    votes = _counts(_votes(campaign), "idea__theme_id")
    comments = _counts(_comments(campaign), "idea__theme_id")
    top = _top_ideas(campaign)
    rows = [
        ThemeFigures(
            theme=theme,
            name=theme.name,
            ideas=ideas.get(theme.pk, 0),
            votes=votes.get(theme.pk, 0),
            comments=comments.get(theme.pk, 0),
            top_ideas=top.get(theme.pk, []),
        )
        for theme in campaign.themes.all()
    ]
    if ideas.get(None):
        rows.append(
            ThemeFigures(
                theme=None,
                name=NO_THEME,
                ideas=ideas[None],
                votes=votes.get(None, 0),
                comments=comments.get(None, 0),
                top_ideas=top.get(None, []),
            )
        )
    return rows


def _participants(campaign: Campaign) -> QuerySet:
    """(trust_id, person_id) of everyone who sent an idea, voted or commented; UNION keeps each
    pair once, so counting rows per trust counts people."""
    ideas = _ideas(campaign).order_by().values_list("trust_id", "author_id")
    votes = _votes(campaign).order_by().values_list("trust_id", "person_id")
    comments = _comments(campaign).order_by().values_list("author__home_trust_id", "author_id")
    return ideas.union(votes, comments)


def _listed_trusts(campaign: Campaign, taking_part: set[int]) -> list[Trust]:
    """Every trust the campaign was for (zeros show who has not taken part), and any other trust
    whose people took part (one that has left the collaboration since, say)."""
    if campaign.collaboration is None:
        return list(Trust.objects.order_by("name"))
    members = current_member_trusts(campaign.collaboration)
    known = {trust.pk for trust in members}
    others = Trust.objects.filter(pk__in=taking_part - known)
    return sorted([*members, *others], key=lambda trust: trust.name)


def _trust_figures(campaign: Campaign) -> tuple[list[TrustFigures], int]:
    ideas = _counts(_ideas(campaign), "trust_id")
    votes = _counts(_votes(campaign), "trust_id")
    comments = _counts(_comments(campaign), "author__home_trust_id")
    pairs = list(_participants(campaign))
    people: dict[int | None, int] = defaultdict(int)
    for trust_id, _person_id in pairs:
        people[trust_id] += 1
    rows = [
        TrustFigures(
            trust=trust,
            name=trust.name,
            ideas=ideas.get(trust.pk, 0),
            votes=votes.get(trust.pk, 0),
            comments=comments.get(trust.pk, 0),
            people=people.get(trust.pk, 0),
        )
        for trust in _listed_trusts(campaign, {t for t in people if t is not None})
    ]
    if people.get(None):
        rows.append(
            TrustFigures(
                trust=None,
                name="No trust on record",
                ideas=ideas.get(None, 0),
                votes=votes.get(None, 0),
                comments=comments.get(None, 0),
                people=people[None],
            )
        )
    distinct_people = len({person_id for _trust_id, person_id in pairs})
    return rows, distinct_people


def _by_status(campaign: Campaign) -> list[StatusFigure]:
    counts = _counts(_ideas(campaign), "status")
    return [
        StatusFigure(status=status.value, label=status.label, ideas=counts[status.value])
        for status in IdeaStatus
        if counts.get(status.value)
    ]


def campaign_report(campaign: Campaign) -> CampaignReport:
    """The figures of the report page, as of now."""
    themes = _theme_figures(campaign)
    trusts, people = _trust_figures(campaign)
    totals = Totals(
        ideas=_ideas(campaign).count(),
        votes=_votes(campaign).count(),
        comments=_comments(campaign).count(),
        people=people,
        trusts=sum(1 for row in trusts if row.trust is not None and row.took_part),
    )
    adopted = list(
        _ideas(campaign)
        .filter(status=IdeaStatus.ADOPTED)
        .select_related("trust", "theme", "project")
        .order_by("-vote_count", "submitted_at", "pk")
    )
    return CampaignReport(
        campaign=campaign,
        generated_at=timezone.now(),
        totals=totals,
        by_status=_by_status(campaign),
        themes=themes,
        trusts=trusts,
        adopted=adopted,
    )


# --- The CSV: one row per idea ------------------------------------------------------------------

CSV_HEADER = [
    "Theme",
    "Idea",
    "Status",
    "Status reason",
    "Votes",
    "Comments",
    "Trust",
    "Sent in on",
    "Merged into",
    "Joint project",
    "Link",
]


def csv_rows(campaign: Campaign, *, link: Callable[[str], str]) -> list[list[Cell]]:
    """One row per idea sent in, in the columns of CSV_HEADER, for filtering and pivot tables:

    Theme (the theme it is filed under, or "No theme yet"), Idea (its title), Status, Status
    reason (the public reason given with the status), Votes, Comments (not removed), Trust (the
    short name of the author's trust when they sent it), Sent in on (a date), Merged into (the
    title of the idea it joined), Joint project (the title of the project it became), Link (the
    idea's page, made absolute by `link`).

    Ordered by theme as the campaign lists them (ideas with no theme last), then by votes, most
    first. Authors' names are left out: the file travels further than the portal. Text is made
    safe for spreadsheets by `projects.exports.csv_response`.
    """
    positions = {theme.pk: i for i, theme in enumerate(campaign.themes.all())}
    ideas = sorted(
        _ideas(campaign).select_related("theme", "trust", "merged_into", "project"),
        key=lambda idea: (
            positions.get(idea.theme_id, len(positions)),
            -idea.vote_count,
            idea.submitted_at or idea.created_at,
            idea.pk,
        ),
    )
    return [
        [
            idea.theme.name if idea.theme else NO_THEME,
            idea.title,
            idea.get_status_display(),
            idea.status_reason,
            idea.vote_count,
            idea.comment_count,
            idea.trust.short_name,
            timezone.localdate(idea.submitted_at) if idea.submitted_at else "",
            idea.merged_into.title if idea.merged_into else "",
            idea.project.title if idea.project else "",
            link(idea.get_absolute_url()),
        ]
        for idea in ideas
    ]


def csv_filename(campaign: Campaign, today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    return f"{campaign.slug}-report-{today.isoformat()}.csv"
