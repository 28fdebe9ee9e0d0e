"""The commitment tracker: every trust's commitments on one screen, for programme admins.

Two grids. For a collaboration: its member trusts against its projects, each cell the trust's
decision and its commitments counted by RAG. For one project: the trusts with a part in it
against its milestones, each cell the trust's commitment for that milestone.

RAG is computed in SQL with `projects.selectors.rag_expression`, and counts are aggregated in
the database, so each tracker runs a fixed number of queries however many trusts, projects and
commitments there are. The exports in `projects.exports` read the same dataclasses, so the
page and its downloads always agree, filters included.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.utils import timezone

from collab.models import Collaboration, Trust
from collab.selectors import current_member_trusts
from projects.models import (
    Commitment,
    JointProject,
    Milestone,
    Participation,
    ParticipationStatus,
    ProjectStatus,
    Rag,
)
from projects.selectors import rag_expression

# The RAG values a commitment can be filtered and counted by; withdrawn commitments have none.
RAGS = (Rag.RED, Rag.AMBER, Rag.GREEN)

NOT_ASKED = "Not asked"
# The collaboration grid shows this many projects (columns) at a time: a national programme has
# hundreds of projects, and a table hundreds of columns wide can be neither read nor rendered
# quickly. The counts and the downloads cover every project that matches the filters.
PROJECTS_PER_PAGE = 20


@dataclass(frozen=True)
class TrackerFilters:
    """What the programme admin narrowed the tracker to. Empty strings mean "any"."""

    rag: str = ""
    trust: str = ""  # a trust's slug
    project_status: str = ""  # the collaboration tracker only
    category: str = ""  # the collaboration tracker only
    commitment_status: str = ""  # the project tracker only

    @property
    def narrows_commitments(self) -> bool:
        """True when cells are shown only if they hold a commitment that matches."""
        return bool(self.rag or self.commitment_status)


@dataclass(frozen=True)
class RagCounts:
    red: int = 0
    amber: int = 0
    green: int = 0
    withdrawn: int = 0  # counted apart: a withdrawn commitment has no RAG

    def __add__(self, other: "RagCounts") -> "RagCounts":
        return RagCounts(
            red=self.red + other.red,
            amber=self.amber + other.amber,
            green=self.green + other.green,
            withdrawn=self.withdrawn + other.withdrawn,
        )

    @classmethod
    def from_rows(cls, rows: list[tuple[str, int]]) -> "RagCounts":
        """From (rag value, number) pairs, as the database groups them."""
        numbers: dict[str, int] = defaultdict(int)
        for rag, n in rows:
            numbers[rag] += n
        return cls(
            red=numbers[Rag.RED.value],
            amber=numbers[Rag.AMBER.value],
            green=numbers[Rag.GREEN.value],
            withdrawn=numbers[Rag.NONE.value],
        )

    def of(self, rag: str) -> int:
        return {
            Rag.RED.value: self.red,
            Rag.AMBER.value: self.amber,
            Rag.GREEN.value: self.green,
            Rag.NONE.value: self.withdrawn,
        }.get(rag, 0)

    @property
    def total(self) -> int:
        """Commitments with a RAG: withdrawn ones are not counted."""
        return self.red + self.amber + self.green

    @property
    def worst(self) -> str:
        """The worst RAG among the commitments, or "" when there are none to rate."""
        for rag in RAGS:
            if self.of(rag):
                return rag.value
        return ""

    @property
    def by_rag(self) -> list[tuple[str, str, int]]:
        """(rag, label, number) for red, amber and green: what the templates list."""
        return [(rag.value, rag.label, self.of(rag)) for rag in RAGS]


# --- The collaboration tracker: trusts x projects ----------------------------------------------


@dataclass(frozen=True)
class CollaborationCell:
    """One trust's place in one project: its decision, and its commitments by RAG."""

    trust: Trust
    project: JointProject
    participation_status: str  # "" when the trust was never asked (it joined later)
    counts: RagCounts

    @property
    def participation_label(self) -> str:
        if self.participation_status in ParticipationStatus.values:
            return ParticipationStatus(self.participation_status).label
        return NOT_ASKED

    @property
    def worst_rag(self) -> str:
        return self.counts.worst


@dataclass(frozen=True)
class CollaborationRow:
    trust: Trust
    # One per column of the tracker, in order; None where the RAG filter hides the cell.
    cells: list[CollaborationCell | None]


@dataclass(frozen=True)
class CollaborationTracker:
    collaboration: Collaboration
    today: datetime.date
    filters: TrackerFilters
    projects: list[JointProject]  # every project shown, on every page
    rows: list[CollaborationRow]  # each trust's cells for `columns`
    totals: RagCounts  # over every cell shown, on every page
    # The projects whose cells `rows` hold: all of them, or one page's (`page`).
    columns: list[JointProject] = field(default_factory=list)
    page: Page | None = None

    @property
    def cells(self) -> list[CollaborationCell]:
        """The cells shown, trust by trust: one export row each."""
        return [cell for row in self.rows for cell in row.cells if cell is not None]


def collaboration_tracker(
    collaboration: Collaboration,
    filters: TrackerFilters,
    *,
    trusts: list[Trust] | None = None,
    today: datetime.date | None = None,
    page: str | int | None = None,
    paged: bool = False,
) -> CollaborationTracker:
    """Member trusts against the collaboration's projects (drafts left out), in four queries.

    `trusts` are the current member trusts when the caller has already loaded them (the filter
    form needs them too). A RAG filter keeps the cells with at least one commitment of that RAG,
    and the trusts and projects that have such a cell; the totals add up the cells shown.
    `paged` builds the cells of one page of PROJECTS_PER_PAGE projects only (`page`, the first
    if not a number, the last if past it); the counts and totals still cover every project.
    """
    today = today or timezone.localdate()
    if trusts is None:
        trusts = current_member_trusts(collaboration)
    if filters.trust:
        trusts = [t for t in trusts if t.slug == filters.trust]

    projects_qs = JointProject.objects.filter(collaboration=collaboration).exclude(
        status=ProjectStatus.DRAFT
    )
    if filters.project_status:
        projects_qs = projects_qs.filter(status=filters.project_status)
    if filters.category:
        projects_qs = projects_qs.filter(category=filters.category)
    projects = list(projects_qs.order_by("title", "pk"))

    trust_ids = [t.pk for t in trusts]
    project_ids = [p.pk for p in projects]
    statuses: dict[tuple[int, int], str] = {}
    counted: dict[tuple[int, int], list[tuple[str, int]]] = defaultdict(list)
    if trust_ids and project_ids:
        statuses = {
            (trust_id, project_id): status
            for trust_id, project_id, status in Participation.objects.filter(
                project_id__in=project_ids, trust_id__in=trust_ids
            )
            .order_by()
            .values_list("trust_id", "project_id", "status")
        }
        grouped = (
            Commitment.objects.filter(
                participation__project_id__in=project_ids,
                participation__trust_id__in=trust_ids,
            )
            .annotate(rag_value=rag_expression(today))
            .values_list("participation__trust_id", "participation__project_id", "rag_value")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for trust_id, project_id, rag, n in grouped:
            counted[(trust_id, project_id)].append((rag, n))

    if filters.rag:
        # Only the cells with something of that RAG, and the trusts and projects that have one.
        shown = {key for key, rows in counted.items() if any(r == filters.rag for r, _ in rows)}
        trusts = [t for t in trusts if any((t.pk, p) in shown for p in project_ids)]
        projects = [p for p in projects if any((t.pk, p.pk) in shown for t in trusts)]
    else:
        shown = None
    # The totals add up every cell shown, on every page: from the grouped rows, without
    # building a cell for each of the hundreds of projects a national programme has.
    totals = RagCounts.from_rows(
        [row for key, rows in counted.items() if shown is None or key in shown for row in rows]
    )
    page_of_projects = None
    columns = projects
    if paged:
        page_of_projects = Paginator(projects, PROJECTS_PER_PAGE).get_page(page)
        columns = list(page_of_projects.object_list)

    rows = []
    for trust in trusts:
        cells: list[CollaborationCell | None] = []
        for project in columns:
            key = (trust.pk, project.pk)
            if shown is not None and key not in shown:
                cells.append(None)
                continue
            cells.append(
                CollaborationCell(
                    trust=trust,
                    project=project,
                    participation_status=statuses.get(key, ""),
                    counts=RagCounts.from_rows(counted.get(key, [])),
                )
            )
        rows.append(CollaborationRow(trust=trust, cells=cells))
    return CollaborationTracker(
        collaboration=collaboration,
        today=today,
        filters=filters,
        projects=projects,
        rows=rows,
        totals=totals,
        columns=columns,
        page=page_of_projects,
    )


# --- The project tracker: trusts x milestones --------------------------------------------------


@dataclass(frozen=True)
class CommitmentCell:
    """One trust's commitment for one milestone, with its RAG worked out by the database."""

    commitment: Commitment
    trust: Trust
    milestone: Milestone
    rag: str  # a Rag value; "none" when withdrawn

    @property
    def status(self) -> str:
        return self.commitment.status

    @property
    def status_label(self) -> str:
        return self.commitment.get_status_display()

    @property
    def rag_label(self) -> str:
        return Rag(self.rag).label

    @property
    def deliverable(self) -> str:
        return self.commitment.deliverable

    @property
    def due_on(self) -> datetime.date:
        return self.commitment.due_on

    @property
    def owner_name(self) -> str:
        owner = self.commitment.owner
        return (owner.full_name or owner.email) if owner else ""

    @property
    def url(self) -> str:
        return self.commitment.get_absolute_url()


@dataclass(frozen=True)
class ProjectRow:
    participation: Participation
    # One per milestone, in order; None when the trust owes nothing for it (or the filter hides it).
    cells: list[CommitmentCell | None]

    @property
    def trust(self) -> Trust:
        return self.participation.trust


@dataclass(frozen=True)
class ProjectTracker:
    project: JointProject
    today: datetime.date
    filters: TrackerFilters
    milestones: list[Milestone]
    rows: list[ProjectRow]
    counts: RagCounts

    @property
    def commitments(self) -> list[CommitmentCell]:
        """The commitments shown, trust by trust and milestone by milestone: one export row each."""
        return [cell for row in self.rows for cell in row.cells if cell is not None]


def project_participations(project: JointProject) -> list[Participation]:
    """The trusts with a part in the project (any decision), by name, with the trust loaded."""
    return list(
        project.participations.select_related("trust").order_by("trust__name", "pk"),
    )


def _filtered_commitments(
    project: JointProject, filters: TrackerFilters, today: datetime.date
) -> QuerySet[Commitment]:
    commitments = Commitment.objects.filter(participation__project=project).annotate(
        rag_value=rag_expression(today)
    )
    if filters.rag:
        commitments = commitments.filter(rag_value=filters.rag)
    if filters.commitment_status:
        commitments = commitments.filter(status=filters.commitment_status)
    if filters.trust:
        commitments = commitments.filter(participation__trust__slug=filters.trust)
    return commitments


def project_tracker(
    project: JointProject,
    filters: TrackerFilters,
    *,
    participations: list[Participation] | None = None,
    today: datetime.date | None = None,
) -> ProjectTracker:
    """Trusts with a part in the project against its milestones, in four queries.

    `participations` come from `project_participations` when the caller has already loaded
    them. A RAG or status filter keeps the matching commitments, and the trusts that have one;
    the counts are of the commitments shown.
    """
    today = today or timezone.localdate()
    if participations is None:
        participations = project_participations(project)
    shown = [p for p in participations if not filters.trust or p.trust.slug == filters.trust]
    milestones = list(project.milestones.order_by("due_on", "pk"))

    commitments = _filtered_commitments(project, filters, today)
    counts = RagCounts.from_rows(
        list(commitments.values_list("rag_value").annotate(n=Count("pk")).order_by())
    )
    by_key = {
        (c.participation_id, c.milestone_id): c
        for c in commitments.select_related("owner").order_by("due_on", "pk")
    }

    rows = []
    for participation in shown:
        cells: list[CommitmentCell | None] = []
        for milestone in milestones:
            commitment = by_key.get((participation.pk, milestone.pk))
            cells.append(
                None
                if commitment is None
                else CommitmentCell(
                    commitment=commitment,
                    trust=participation.trust,
                    milestone=milestone,
                    rag=commitment.rag_value,
                )
            )
        if filters.narrows_commitments and not any(cells):
            continue
        rows.append(ProjectRow(participation=participation, cells=cells))

    return ProjectTracker(
        project=project,
        today=today,
        filters=filters,
        milestones=milestones,
        rows=rows,
        counts=counts,
    )
