"""Reads about joint projects, scoped to the person asking. Views start their querysets here."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from collab.audit import audit_context
from collab.models import AuditEvent, Collaboration, Trust, User
from collab.page_cache import PROJECTS, CachedPart
from collab.selectors import cached_with_member_collaborations, current_memberships
from projects.funding import cost_shares
from projects.models import (
    AMBER_WINDOW_DAYS,
    CLOSED_STATUSES,
    DELIVERED_STATUSES,
    Benefit,
    BenefitKind,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    JointProject,
    LateJoinRequest,
    Milestone,
    Participation,
    ParticipationStatus,
    ProjectStatus,
    Rag,
    RequestStatus,
    WithdrawalRequest,
)


def rag_expression(today: datetime.date | None = None) -> Case:
    """The RAG rule of `projects.models.rag_for`, in SQL, for filtering and counting."""
    today = today or timezone.localdate()
    return Case(
        When(status=CommitmentStatus.WITHDRAWN, then=Value(Rag.NONE.value)),
        When(status__in=DELIVERED_STATUSES, then=Value(Rag.GREEN.value)),
        When(due_on__lt=today, then=Value(Rag.RED.value)),
        When(status=CommitmentStatus.BLOCKED, then=Value(Rag.AMBER.value)),
        When(
            due_on__lte=today + datetime.timedelta(days=AMBER_WINDOW_DAYS),
            then=Value(Rag.AMBER.value),
        ),
        default=Value(Rag.GREEN.value),
    )


def projects_visible_to(user: User) -> QuerySet[JointProject]:
    """Projects of the collaborations the person's trust belongs to, and of those they
    administer. Drafts are seen by the collaboration's programme admins only."""
    if not user.is_authenticated:
        return JointProject.objects.none()
    if user.is_site_admin:
        return JointProject.objects.all()
    administered = user.administered_collaboration_ids
    return JointProject.objects.filter(
        Q(collaboration_id__in=administered)
        | (Q(collaboration_id__in=user.member_collaboration_ids) & ~Q(status=ProjectStatus.DRAFT))
    )


def can_see_project(user: User, project: JointProject) -> bool:
    """The rule of `projects_visible_to`, for one project already loaded (its page reads the
    project from the page cache). tests/projects/test_project_lookup.py keeps the two in step."""
    if not user.is_authenticated:
        return False
    if user.is_site_admin or project.collaboration_id in user.administered_collaboration_ids:
        return True
    return project.status != ProjectStatus.DRAFT and project.collaboration_id in (
        user.member_collaboration_ids
    )


def get_project_for_page(user: User, project_slug: str) -> JointProject:
    """`get_project_for_user` for the project's page, which only reads: the project (with its
    collaboration and lead trust) comes from the page cache, renewed by every audited change
    to a project, instead of a query the ORM builds on every view (issue 7). Whatever changes
    a project loads it with `get_project_for_user`.

    The collaborations of the person's home trust, which decide whether they may see it, are
    read in the same round trip to Redis and kept on the person for the request."""

    def load() -> JointProject | None:
        projects = JointProject.objects.select_related("collaboration", "lead_trust")
        return projects.filter(slug=project_slug).first()

    part = CachedPart(PROJECTS, "project-by-slug", (project_slug,), load)
    project = cached_with_member_collaborations(user, part)
    if project is None or not can_see_project(user, project):
        raise Http404("No such project.")
    return project


def get_project_for_user(user: User, project_slug: str) -> JointProject:
    """The project, or 404 when it does not exist or the person may not see it."""
    project = (
        projects_visible_to(user)
        .select_related("collaboration", "lead_trust")
        .filter(slug=project_slug)
        .first()
    )
    if project is None:
        raise Http404("No such project.")
    return project


def get_participation_for_user(
    user: User, project_slug: str, trust_slug: str, *, include_new_members: bool = False
) -> Participation:
    """The trust's participation in a project the person can see, or 404.

    With `include_new_members`, a trust that joined the collaboration after the project opened
    gets an unsaved participation (not joined), so that it can ask to join late.
    """
    project = get_project_for_user(user, project_slug)
    participation = (
        project.participations.select_related("trust", "contact")
        .filter(trust__slug=trust_slug)
        .first()
    )
    if participation is None and include_new_members:
        trust = (
            current_memberships()
            .filter(collaboration_id=project.collaboration_id, trust__slug=trust_slug)
            .select_related("trust")
            .first()
        )
        if trust is not None:
            participation = Participation(
                project=project, trust=trust.trust, status=ParticipationStatus.NOT_JOINED
            )
    if participation is None:
        raise Http404("That trust has no part in this project.")
    participation.project = project
    return participation


def get_commitment_for_user(user: User, commitment_id: str) -> Commitment:
    commitment = (
        Commitment.objects.filter(
            public_id=commitment_id, participation__project__in=projects_visible_to(user)
        )
        .select_related(
            "participation__project__collaboration",
            "participation__trust",
            "milestone",
            "owner",
        )
        .first()
    )
    if commitment is None:
        raise Http404("No such commitment.")
    return commitment


def get_evidence_for_user(user: User, update_id: str) -> CommitmentUpdate:
    update = (
        CommitmentUpdate.objects.filter(
            public_id=update_id,
            commitment__participation__project__in=projects_visible_to(user),
        )
        .exclude(evidence="")
        .first()
    )
    if update is None:
        raise Http404("No such evidence.")
    return update


def get_request_for_user(
    user: User, model: type[WithdrawalRequest] | type[LateJoinRequest], request_id: str
) -> WithdrawalRequest | LateJoinRequest:
    request = (
        model.objects.filter(
            public_id=request_id, participation__project__in=projects_visible_to(user)
        )
        .select_related("participation__project__collaboration", "participation__trust")
        .first()
    )
    if request is None:
        raise Http404("No such request.")
    return request


# --- The project list ------------------------------------------------------------------------


def project_list(
    user: User,
    *,
    category: str = "",
    status: str = "",
    collaboration_slug: str = "",
    search: str = "",
) -> QuerySet[JointProject]:
    """The projects the person may see, filtered, with decision counts for the list."""
    projects = projects_visible_to(user)
    if category:
        projects = projects.filter(category=category)
    if status:
        projects = projects.filter(status=status)
    if collaboration_slug:
        projects = projects.filter(collaboration__slug=collaboration_slug)
    if search:
        projects = projects.filter(title__icontains=search.strip())
    # The decision counts as correlated subqueries rather than a GROUP BY over every visible
    # project's participations: PostgreSQL works them out only for the page's rows, after the
    # sort and LIMIT (one_participation_each's index on (project, trust) finds each project's).
    participations = Participation.objects.filter(project=OuterRef("pk")).order_by()
    counted = participations.values("project").annotate(n=Count("pk")).values("n")
    trusts_in = (
        participations.filter(
            status__in=[ParticipationStatus.OPTED_IN, ParticipationStatus.COMMITTED]
        )
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        projects.select_related("collaboration", "lead_trust")
        .annotate(
            trusts_in=Coalesce(Subquery(trusts_in), 0),
            trusts_asked=Coalesce(Subquery(counted), 0),
        )
        .order_by("status", "decision_deadline", "title")
    )


# --- The project page ------------------------------------------------------------------------


@dataclass(frozen=True)
class TrustRow:
    """One member trust on the project page: its decision and its commitments by milestone.
    The page shows every trust's progress in one line (the viewer's own trusts get their
    commitments in full, from `commitments_of_viewer_trusts`): 60 rows of every trust's
    commitments made half the page's weight, for a phone to scroll past."""

    participation: Participation
    commitments: list[Commitment]

    @property
    def open_commitments(self) -> list[Commitment]:
        return [
            c
            for c in self.commitments
            if c.status not in DELIVERED_STATUSES and c.status != CommitmentStatus.WITHDRAWN
        ]

    @property
    def delivered_count(self) -> int:
        return sum(1 for c in self.commitments if c.status in DELIVERED_STATUSES)

    @property
    def expected_count(self) -> int:
        return sum(1 for c in self.commitments if c.status != CommitmentStatus.WITHDRAWN)

    @property
    def late_count(self) -> int:
        return sum(1 for c in self.open_commitments if c.rag_value == Rag.RED)

    @property
    def blocked_count(self) -> int:
        return sum(1 for c in self.commitments if c.status == CommitmentStatus.BLOCKED)

    @property
    def next_due(self) -> Commitment | None:
        """The first open commitment not yet late: what the trust is working towards."""
        coming = [c for c in self.open_commitments if c.rag_value != Rag.RED]
        return min(coming, key=lambda c: (c.due_on, c.pk), default=None)


@dataclass(frozen=True)
class ProjectPage:
    project: JointProject
    milestones: list[Milestone]
    trust_rows: list[TrustRow]
    benefits: list[Benefit]
    timeline: list[AuditEvent]
    withdrawal_requests: list[WithdrawalRequest]
    late_join_requests: list[LateJoinRequest]
    budget_committed: Decimal
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def has_commitments(self) -> bool:
        return any(row.commitments for row in self.trust_rows)

    @property
    def pending_requests(self) -> list:
        return [r for r in [*self.withdrawal_requests, *self.late_join_requests] if r.is_pending]

    @property
    def count_rows(self) -> list[tuple[str, str, int]]:
        """(status, label, number of trusts) for each decision the trusts have made."""
        return [
            (status, ParticipationStatus(status).label, self.counts[status])
            for status in ParticipationStatus.values
            if status in self.counts
        ]

    def row_for(self, trust_id: int | None) -> TrustRow | None:
        return next((r for r in self.trust_rows if r.participation.trust_id == trust_id), None)


TIMELINE_LENGTH = 100


def _newest_first(requests: list) -> list:
    """Requests in their model's order (newest first), across the participations."""
    return sorted(requests, key=lambda r: (r.requested_at, r.pk), reverse=True)


def project_page(project: JointProject) -> ProjectPage:
    """Everything the project page shows, in a fixed number of queries."""
    today = timezone.localdate()
    # The requests come with the participations they belong to, which already hold their
    # trust and project: fetched on their own they joined both again (issue 7's profile of
    # this page put those two queries at a tenth of it, mostly for no rows).
    requesters = ("requested_by", "decided_by")
    participations = list(
        project.participations.select_related("trust", "contact", "decided_by").prefetch_related(
            Prefetch(
                "commitments",
                queryset=Commitment.objects.select_related("milestone").annotate(
                    rag_value=rag_expression(today)
                ),
            ),
            Prefetch(
                "withdrawal_requests",
                queryset=WithdrawalRequest.objects.select_related(*requesters).order_by(),
            ),
            Prefetch(
                "late_join_requests",
                queryset=LateJoinRequest.objects.select_related(*requesters).order_by(),
            ),
        )
    )
    rows = [
        TrustRow(participation=p, commitments=list(p.commitments.all())) for p in participations
    ]
    counts: dict[str, int] = defaultdict(int)
    for p in participations:
        counts[p.status] += 1
    budget_committed = sum((p.cost_share or Decimal(0) for p in participations), Decimal(0))
    return ProjectPage(
        project=project,
        milestones=list(project.milestones.all()),
        trust_rows=rows,
        benefits=list(project.benefits.select_related("trust")),
        timeline=list(
            AuditEvent.objects.filter(context=audit_context(project))
            .select_related("trust")
            .order_by("-occurred_at", "-pk")[:TIMELINE_LENGTH]
        ),
        withdrawal_requests=_newest_first(
            [r for p in participations for r in p.withdrawal_requests.all()]
        ),
        late_join_requests=_newest_first(
            [r for p in participations for r in p.late_join_requests.all()]
        ),
        budget_committed=budget_committed,
        counts=dict(counts),
    )


def commitments_of_viewer_trusts(user: User, project: JointProject) -> list[TrustRow]:
    """The commitments, in full, of the trusts the person works for or leads, for their
    part of the project page: one query, none before the project has commitments."""
    trust_ids = {user.home_trust_id, *user.led_trust_ids} - {None}
    if not trust_ids or project.status in (ProjectStatus.DRAFT, ProjectStatus.OPEN):
        return []
    commitments = (
        Commitment.objects.filter(
            participation__project=project, participation__trust_id__in=trust_ids
        )
        .select_related("participation__trust", "milestone", "owner")
        .annotate(rag_value=rag_expression())
        .order_by("participation__trust__name", "due_on", "pk")
    )
    rows: dict[int, TrustRow] = {}
    for commitment in commitments:
        participation = commitment.participation
        row = rows.setdefault(participation.pk, TrustRow(participation, []))
        row.commitments.append(commitment)
    return list(rows.values())


def participations_led_by(user: User, project: JointProject) -> list[Participation]:
    """The project's places of the trusts the person leads (their cards on its page): one
    query for a trust lead, none for anyone else."""
    if not user.led_trust_ids:
        return []
    return list(
        project.participations.filter(trust_id__in=user.led_trust_ids).select_related("trust")
    )


def has_decisions(project: JointProject) -> bool:
    """Whether any trust has decided (the terms are fixed from then on)."""
    return project.participations.exclude(status=ParticipationStatus.UNDECIDED).exists()


def led_trusts_without_participation(user: User, project: JointProject) -> list[Trust]:
    """Member trusts the person leads that were not asked when the project opened."""
    if not user.led_trust_ids or project.status != ProjectStatus.ACTIVE:
        return []
    return list(
        Trust.objects.filter(
            pk__in=user.led_trust_ids,
            memberships__in=current_memberships().filter(collaboration_id=project.collaboration_id),
        ).exclude(participations__project=project)
    )


def contacts_for_trust(trust: Trust) -> QuerySet[User]:
    """People who can be named as a trust's project contact or a commitment's owner."""
    return User.objects.filter(home_trust=trust, is_active=True).order_by("full_name")


# --- My trust, and the dashboard -------------------------------------------------------------


@dataclass(frozen=True)
class TrustProjects:
    """A trust's joint projects from its lead's point of view."""

    trust: Trust
    decisions_waiting: list[Participation]
    projects_in: list[Participation]
    late: list[Commitment]
    next_due: list[Commitment]
    pending_requests: list


UPCOMING_LIMIT = 20


def trust_projects(trust: Trust, today: datetime.date | None = None) -> TrustProjects:
    """Every project the trust is in, what it owes next, what is late, and decisions waiting."""
    today = today or timezone.localdate()
    participations = Participation.objects.filter(trust=trust).select_related(
        "project__collaboration", "contact"
    )
    open_commitments = (
        Commitment.objects.filter(
            participation__trust=trust,
            participation__project__status=ProjectStatus.ACTIVE,
        )
        .exclude(status__in=[*CLOSED_STATUSES, CommitmentStatus.DONE])
        .select_related("participation__project", "milestone", "owner")
        .annotate(rag_value=rag_expression(today))
        .order_by("due_on", "pk")
    )
    requests = [
        *WithdrawalRequest.objects.filter(
            participation__trust=trust, status=RequestStatus.PENDING
        ).select_related("participation__project", "participation__trust"),
        *LateJoinRequest.objects.filter(
            participation__trust=trust, status=RequestStatus.PENDING
        ).select_related("participation__project", "participation__trust"),
    ]
    return TrustProjects(
        trust=trust,
        decisions_waiting=list(
            participations.filter(project__status=ProjectStatus.OPEN).order_by(
                "project__decision_deadline"
            )
        ),
        projects_in=list(
            participations.filter(status=ParticipationStatus.COMMITTED)
            .annotate(
                open_count=Count(
                    "commitments",
                    filter=~Q(commitments__status__in=CLOSED_STATUSES),
                )
            )
            .order_by("project__title")
        ),
        late=list(open_commitments.filter(due_on__lt=today)[:UPCOMING_LIMIT]),
        next_due=list(open_commitments.filter(due_on__gte=today)[:UPCOMING_LIMIT]),
        pending_requests=requests,
    )


@dataclass(frozen=True)
class DashboardProjects:
    """The joint-project part of a person's dashboard."""

    my_projects: list[JointProject]
    decisions_due: list[Participation]
    drafts: list[JointProject]
    requests_to_decide: int


DASHBOARD_LIMIT = 10
# Commitments not yet handed in (done waits for the admins; accepted and withdrawn are closed).
OPEN_STATUSES = (
    CommitmentStatus.NOT_STARTED,
    CommitmentStatus.IN_PROGRESS,
    CommitmentStatus.BLOCKED,
)


def dashboard_projects(user: User, today: datetime.date | None = None) -> DashboardProjects:
    """Projects the person's trust is in (or, for admins, the collaboration's active ones);
    decisions their led trusts owe; for admins, drafts and requests. Everything here follows
    from the person's home trust and roles (collab.selectors.dashboard_audience)."""
    today = today or timezone.localdate()
    visible = projects_visible_to(user)
    led = user.led_trust_ids
    administered = user.administered_collaboration_ids
    my_projects = (
        visible.filter(
            Q(
                participations__trust_id=user.home_trust_id,
                participations__status__in=[
                    ParticipationStatus.COMMITTED,
                    ParticipationStatus.OPTED_IN,
                ],
            )
            | Q(collaboration_id__in=administered, status=ProjectStatus.ACTIVE)
        )
        .exclude(status__in=[ProjectStatus.COMPLETED, ProjectStatus.CLOSED])
        .select_related("collaboration")
        .distinct()
        .order_by("title")[:DASHBOARD_LIMIT]
    )
    decisions_due = (
        Participation.objects.filter(
            trust_id__in=led,
            status=ParticipationStatus.UNDECIDED,
            project__status=ProjectStatus.OPEN,
            project__decision_deadline__gte=today,
        )
        .select_related("project", "trust")
        .order_by("project__decision_deadline")[:DASHBOARD_LIMIT]
    )
    drafts = (
        JointProject.objects.filter(collaboration_id__in=administered, status=ProjectStatus.DRAFT)
        .select_related("collaboration")
        .order_by("-created_at")[:DASHBOARD_LIMIT]
        if administered
        else []
    )
    requests_to_decide = 0
    if administered:
        in_scope = Q(participation__project__collaboration_id__in=administered) & Q(
            status=RequestStatus.PENDING
        )
        requests_to_decide = (
            WithdrawalRequest.objects.filter(in_scope).count()
            + LateJoinRequest.objects.filter(in_scope).count()
        )
    return DashboardProjects(
        my_projects=list(my_projects),
        decisions_due=list(decisions_due),
        drafts=list(drafts),
        requests_to_decide=requests_to_decide,
    )


def late_commitments_for(user: User, today: datetime.date | None = None) -> list[Commitment]:
    """Late commitments the person owns or their led trusts owe: the personal part of the
    dashboard."""
    today = today or timezone.localdate()
    led = user.led_trust_ids
    # The led trusts' places in active projects, fetched first (a few hundred ids at most), and
    # the open statuses named rather than the closed ones excluded: PostgreSQL then reads only
    # the open, past-due commitments (commitment_status_due_idx), not every commitment in the
    # portal to test an OR across the join to participations.
    led_participations = (
        list(
            Participation.objects.filter(
                trust_id__in=led, project__status=ProjectStatus.ACTIVE
            ).values_list("pk", flat=True)
        )
        if led
        else []
    )
    late = (
        Commitment.objects.filter(
            Q(owner=user) | Q(participation_id__in=led_participations),
            participation__project__status=ProjectStatus.ACTIVE,
            due_on__lt=today,
            # Not yet handed in: every status but done, accepted and withdrawn.
            status__in=OPEN_STATUSES,
        )
        .select_related("participation__project", "participation__trust", "milestone")
        .order_by("due_on")[:DASHBOARD_LIMIT]
    )
    return list(late)


# --- Benefits across a collaboration ---------------------------------------------------------


@dataclass(frozen=True)
class BenefitTotals:
    kind: str
    label: str
    staff_hours_released: Decimal
    money_saved: Decimal
    projects: int


def collaboration_benefit_totals(collaboration: Collaboration) -> list[BenefitTotals]:
    """The sums of expected and realised benefits over the collaboration's projects."""
    rows = (
        Benefit.objects.filter(project__collaboration=collaboration)
        .exclude(project__status=ProjectStatus.DRAFT)
        .values("kind")
        .annotate(
            hours=Sum("staff_hours_released"),
            money=Sum("money_saved"),
            projects=Count("project", distinct=True),
        )
    )
    by_kind = {row["kind"]: row for row in rows}
    return [
        BenefitTotals(
            kind=kind.value,
            label=kind.label,
            staff_hours_released=by_kind.get(kind.value, {}).get("hours") or Decimal(0),
            money_saved=by_kind.get(kind.value, {}).get("money") or Decimal(0),
            projects=by_kind.get(kind.value, {}).get("projects") or 0,
        )
        for kind in BenefitKind
    ]


def projected_share(participation: Participation) -> dict[str, Decimal | int]:
    """What the trust would pay if it joins: with the trusts in so far, and if every trust joins.

    Shown before a lead opts in. The share is fixed when the project starts.
    """
    project = participation.project
    others = list(
        project.participations.filter(status=ParticipationStatus.OPTED_IN)
        .exclude(pk=participation.pk)
        .values_list("trust_id", "funding_weight")
    )
    with_current = dict(others) | {participation.trust_id: participation.funding_weight}
    everyone = dict(project.participations.values_list("trust_id", "funding_weight"))

    def share(weights: dict[int, Decimal]) -> Decimal:
        return cost_shares(
            funding_model=project.funding_model,
            total_budget=project.total_budget,
            lead_trust_id=project.lead_trust_id,
            weights=weights,
        )[participation.trust_id]

    return {
        "with_trusts_in_so_far": share(with_current),
        "trusts_in_so_far": len(with_current),
        "if_every_trust_joins": share(everyone),
        "trusts_asked": len(everyone),
    }
