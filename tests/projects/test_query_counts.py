"""The main pages run a bounded number of SQL queries, whatever the size of the data.

Each page is loaded twice, on a small collaboration and on one many times larger (more member
trusts, projects, milestones, commitments, updates, requests, benefits and audit events), with
the SAME bound: a page that runs a query per trust, project or commitment cannot pass both.

The counts measured when these tests were written are next to QUERY_BOUNDS below. Each bound
leaves a little room for the framework, never enough for a query per row of the large data.
"""

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from collab.audit import audit_context
from collab.models import AuditEvent, ChairTerm, Role
from projects.models import (
    Benefit,
    BenefitKind,
    Category,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    FundingModel,
    JointProject,
    LateJoinRequest,
    Milestone,
    Participation,
    ParticipationStatus,
    ProjectStatus,
    RequestStatus,
    WithdrawalRequest,
)
from projects.selectors import projects_visible_to
from projects.views.pages import PROJECTS_PER_PAGE
from tests.factories import MembershipFactory, RoleFactory, TrustFactory, UserFactory
from tests.projects.helpers import days


@dataclass(frozen=True)
class Size:
    trusts: int  # member trusts added to Southern, beyond LAS and SECAmb
    projects: int  # projects added to Southern, in turn open, active and draft
    milestones: int  # milestones added to the active project
    updates: int  # updates on the commitment whose page is loaded
    events: int  # audit events on the active project's timeline


SIZES = {
    "small": Size(trusts=1, projects=3, milestones=1, updates=1, events=1),
    "large": Size(trusts=25, projects=45, milestones=12, updates=40, events=150),
}

# The most queries each page may run, at every size: the most measured on the small data (over
# both personas), plus 2 for the framework. Measured:
#                       busy           staff_of_las
#                   small / large     small / large
#   project list        8 / 8             8 / 8
#   project page       14 / 14           14 / 14
#   commitment page     9 / 9             8 / 8
#   trust projects     12 / 12           12 / 12
#   dashboard          14 / 14           10 / 10
#   collaboration      11 / 11           11 / 11
QUERY_BOUNDS = {
    "project_list": 8 + 2,
    "project_detail": 14 + 2,
    "commitment": 9 + 2,
    "trust_projects": 12 + 2,
    "dashboard": 14 + 2,
    "collaboration": 11 + 2,
}


@pytest.fixture
def busy(las, southern):
    """A lead of LAS who is also a programme admin of Southern: every part of every page shows."""
    user = UserFactory(email="busy.las@example.org", full_name="Busy Person", home_trust=las)
    RoleFactory(user=user, role=Role.TRUST_LEAD, trust=las)
    RoleFactory(user=user, role=Role.STAFF, trust=las)
    RoleFactory(user=user, role=Role.PROGRAMME_ADMIN, collaboration=southern)
    return user


@dataclass
class World:
    project: JointProject  # the active project whose page is loaded
    commitment: Commitment  # the commitment whose page is loaded
    trusts: int  # member trusts of Southern
    projects: int  # projects of Southern
    late_for_las: int  # LAS's commitments past their due date
    las_pending: int  # LAS's requests waiting for the programme admins
    updates: int  # updates on `commitment`


def _build(size: Size, *, southern, las, secamb, project, busy, admin) -> World:
    """Rows in bulk on top of `active_project_both`: LAS and SECAmb committed to `project`."""
    now = timezone.now()
    today = timezone.localdate()

    # More member trusts, each with a person who is its contact, and past chairs.
    contacts = {las.pk: busy, secamb.pk: admin}
    trusts = [las, secamb]
    for _ in range(size.trusts):
        trust = TrustFactory()
        MembershipFactory(collaboration=southern, trust=trust)
        contacts[trust.pk] = UserFactory(home_trust=trust)
        trusts.append(trust)
    ChairTerm.objects.bulk_create(
        ChairTerm(
            collaboration=southern,
            trust=trust,
            starts_on=today - datetime.timedelta(days=400 * (n + 1)),
            ends_on=today - datetime.timedelta(days=400 * (n + 1) - 300),
        )
        for n, trust in enumerate(trusts)
    )

    # The active project: every new trust committed, more milestones, a commitment for each.
    Participation.objects.bulk_create(
        Participation(
            project=project,
            trust=trust,
            status=ParticipationStatus.COMMITTED,
            reason="We are in.",
            decided_by=contacts[trust.pk],
            decided_at=now,
            committed_at=now,
            contact=contacts[trust.pk],
            cost_share=Decimal("1000.00"),
        )
        for trust in trusts[2:]
    )
    Milestone.objects.bulk_create(
        Milestone(
            project=project,
            title=f"Milestone {n}",
            deliverable=f"Deliverable {n}",
            due_on=days(30 + n),
        )
        for n in range(size.milestones)
    )
    participations = list(project.participations.all())
    existing = set(
        Commitment.objects.filter(participation__project=project).values_list(
            "participation_id", "milestone_id"
        )
    )
    Commitment.objects.bulk_create(
        Commitment(
            participation=participation,
            milestone=milestone,
            deliverable=milestone.deliverable,
            due_on=milestone.due_on,
            owner=contacts[participation.trust_id],
            status=CommitmentStatus.IN_PROGRESS,
        )
        for participation in participations
        for milestone in project.milestones.all()
        if (participation.pk, milestone.pk) not in existing
    )
    # Each trust has asked to withdraw once before (rejected), and is asking again.
    for status in (RequestStatus.REJECTED, RequestStatus.PENDING):
        WithdrawalRequest.objects.bulk_create(
            WithdrawalRequest(
                participation=participation,
                reason="Our control room is moving.",
                impact="The others carry on.",
                requested_by=contacts[participation.trust_id],
                status=status,
                decided_by=admin if status == RequestStatus.REJECTED else None,
                decided_at=now if status == RequestStatus.REJECTED else None,
                decision_reason="Not now." if status == RequestStatus.REJECTED else "",
            )
            for participation in participations
        )
    LateJoinRequest.objects.bulk_create(
        LateJoinRequest(
            participation=participation,
            reason="We joined late.",
            requested_by=contacts[participation.trust_id],
            contact=contacts[participation.trust_id],
            status=RequestStatus.APPROVED,
            decided_by=admin,
            decided_at=now,
        )
        for participation in participations
    )
    Benefit.objects.bulk_create(
        Benefit(
            project=project,
            trust=participation.trust,
            kind=kind,
            staff_hours_released=Decimal("10.0"),
            money_saved=Decimal("100.00"),
            recorded_by=busy,
        )
        for participation in participations
        for kind in BenefitKind
    )
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=busy,
            actor_email=busy.email,
            action="commitment.updated",
            target_type="projects.commitment",
            target_id=str(n),
            target_label="A commitment",
            trust=trusts[n % len(trusts)],
            context=audit_context(project),
            reason=f"Update {n}",
        )
        for n in range(size.events)
    )

    # More projects in Southern, open, active and draft in turn; LAS is asked to decide on the
    # open ones, and is committed to the active ones, where one of its commitments is late and
    # it is asking to withdraw.
    statuses = itertools.cycle([ProjectStatus.OPEN, ProjectStatus.ACTIVE, ProjectStatus.DRAFT])
    projects = JointProject.objects.bulk_create(
        JointProject(
            slug=f"bulk-project-{n}",
            collaboration=southern,
            title=f"Bulk project {n}",
            summary="A project made in bulk.",
            category=Category.OPERATING_MODEL,
            lead_trust=las,
            status=status,
            terms="Terms.",
            funding_model=FundingModel.EQUAL_SPLIT,
            total_budget=Decimal("1000.00"),
            decision_deadline=days(10) if status == ProjectStatus.OPEN else days(-30),
            planned_start=days(20) if status == ProjectStatus.OPEN else days(-20),
            planned_end=days(300),
            created_by=admin,
            opened_at=None if status == ProjectStatus.DRAFT else now,
            started_at=now if status == ProjectStatus.ACTIVE else None,
        )
        for n, status in zip(range(size.projects), statuses, strict=False)
    )
    live = [p for p in projects if p.status != ProjectStatus.DRAFT]
    committed = {ProjectStatus.ACTIVE: ParticipationStatus.COMMITTED}
    bulk_participations = Participation.objects.bulk_create(
        Participation(
            project=p,
            trust=trust,
            status=committed.get(p.status, ParticipationStatus.UNDECIDED),
            contact=contacts[trust.pk],
            cost_share=Decimal("50.00") if p.status == ProjectStatus.ACTIVE else None,
        )
        for p in live
        for trust in trusts
    )
    active = [p for p in projects if p.status == ProjectStatus.ACTIVE]
    milestones = Milestone.objects.bulk_create(
        Milestone(project=p, title=f"{p.title}: first", deliverable="Something.", due_on=days(-5))
        for p in active
    )
    las_in_active = {
        x.project_id: x
        for x in bulk_participations
        if x.trust_id == las.pk and x.status == ParticipationStatus.COMMITTED
    }
    Commitment.objects.bulk_create(
        Commitment(
            participation=las_in_active[m.project_id],
            milestone=m,
            deliverable=m.deliverable,
            due_on=m.due_on,
            owner=busy,
        )
        for m in milestones
    )
    WithdrawalRequest.objects.bulk_create(
        WithdrawalRequest(
            participation=participation,
            reason="Too much at once.",
            impact="Little.",
            requested_by=busy,
        )
        for participation in las_in_active.values()
    )
    Benefit.objects.bulk_create(
        Benefit(project=p, trust=las, kind=BenefitKind.REALISED, recorded_by=busy) for p in live
    )

    # The commitment whose page is loaded: LAS's first, done and waiting for review, with a
    # history of updates by different people, some with evidence.
    commitment = (
        Commitment.objects.filter(participation__project=project, participation__trust=las)
        .order_by("due_on", "pk")
        .first()
    )
    authors = list(contacts.values())
    CommitmentUpdate.objects.bulk_create(
        CommitmentUpdate(
            commitment=commitment,
            author=authors[n % len(authors)],
            status_before=CommitmentStatus.IN_PROGRESS,
            status_after=CommitmentStatus.IN_PROGRESS,
            note=f"Progress note {n}",
            evidence=f"evidence/{project.pk}/{n}/report-{n}.pdf" if n % 2 else "",
        )
        for n in range(size.updates)
    )
    Commitment.objects.filter(pk=commitment.pk).update(status=CommitmentStatus.DONE)
    # One of LAS's commitments on the active project is late, at every size.
    late_one = (
        Commitment.objects.filter(participation__project=project, participation__trust=las)
        .exclude(pk=commitment.pk)
        .order_by("due_on")
        .first()
    )
    Commitment.objects.filter(pk=late_one.pk).update(due_on=days(-3))
    return World(
        project=project,
        commitment=commitment,
        trusts=len(trusts),
        projects=JointProject.objects.filter(collaboration=southern).count(),
        late_for_las=Commitment.objects.filter(
            participation__trust=las,
            participation__project__status=ProjectStatus.ACTIVE,
            due_on__lt=today,
        ).count(),
        las_pending=WithdrawalRequest.objects.filter(
            participation__trust=las, status=RequestStatus.PENDING
        ).count(),
        updates=size.updates,
    )


@pytest.fixture(params=list(SIZES))
def world(request, southern, las, secamb, active_project_both, busy, admin_of_southern):
    return _build(
        SIZES[request.param],
        southern=southern,
        las=las,
        secamb=secamb,
        project=active_project_both,
        busy=busy,
        admin=admin_of_southern,
    )


PAGES = {
    "project_list": lambda w: reverse("projects:list"),
    "project_detail": lambda w: w.project.get_absolute_url(),
    "commitment": lambda w: w.commitment.get_absolute_url(),
    "trust_projects": lambda w: reverse("projects:trust_projects", args=["las"]),
    "dashboard": lambda w: reverse("dashboard"),
    "collaboration": lambda w: reverse("collaboration_detail", args=["southern"]),
}


def _shows_the_data(page: str, world: World, user, html: str) -> None:
    """The page really rendered the rows whose number grows, so its count means something."""
    if page == "project_list":
        visible = projects_visible_to(user).count()
        assert html.count('data-testid="project"') == min(visible, PROJECTS_PER_PAGE)
    elif page == "project_detail":
        # A row for each trust among the decisions, and another for its progress.
        assert html.count("data-trust=") == 2 * world.trusts
        # Two withdrawal requests and one late join for each trust.
        assert html.count('data-testid="request"') == 3 * world.trusts
    elif page == "commitment":
        assert html.count("Progress note ") == world.updates
    elif page == "trust_projects":
        assert html.count("LAS asks to withdraw from") == world.las_pending
        assert html.count('data-testid="late"') == 1
    elif page == "dashboard":
        # The member trusts of Southern, and LAS's late commitments (up to the dashboard's limit).
        assert html.count("<abbr title=") >= world.trusts
        if user.leads_trust(world.commitment.participation.trust):
            assert html.count("Late commitments") == 1
    elif page == "collaboration":
        assert html.count('<tr class="nhsuk-table__row"><td class="nhsuk-table__cell">') == (
            world.trusts
        )


@pytest.mark.parametrize("persona", ["busy", "staff_of_las"])
@pytest.mark.parametrize("page", list(PAGES))
def test_a_main_page_runs_a_bounded_number_of_queries(
    client, request, django_assert_max_num_queries, world, page, persona
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    url = PAGES[page](world)
    with django_assert_max_num_queries(QUERY_BOUNDS[page]):
        response = client.get(url)
    assert response.status_code == 200
    _shows_the_data(page, world, user, response.content.decode())
