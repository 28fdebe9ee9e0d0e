"""The demo joint projects: Southern projects in every state and one Northern, idempotent.

Expected values are written out here rather than read from projects.demo_data, so that a wrong
constant there fails a test instead of agreeing with itself.
"""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from collab.audit import audit_context
from collab.models import AuditEvent, User
from projects.models import (
    Benefit,
    BenefitKind,
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
    Rag,
    RequestStatus,
    WithdrawalRequest,
    rag_for,
)
from projects.selectors import projects_visible_to

AI_TRIAGE = "ai-assisted-999-triage-evaluation"
DCA_SPECIFICATION = "common-double-crewed-ambulance-specification"
DRIVER_TRAINING = "harmonised-driver-training-and-recognition-between-trusts"
WELLBEING = "occupational-health-and-wellbeing-a-shared-offer"
NORTHERN_PASSPORT = "northern-staff-passport-and-shared-bank"
# A national draft: the #ProjectA idea the demo ideas campaign promoted (wellbeing.demo_data).
ROTATIONAL_POSTS = "rotational-paramedic-posts-across-primary-and-urgent-care"
# Active, with a procurement round on it (procurement.demo_data).
JOINT_PURCHASE = "joint-purchase-of-double-crewed-ambulances-2027-to-2030"

SOUTHERN_TRUSTS = {"SECAmb", "EEAST", "LAS", "SCAS", "SWASFT"}

COUNTED_MODELS = (
    JointProject,
    Milestone,
    Participation,
    Commitment,
    CommitmentUpdate,
    WithdrawalRequest,
    LateJoinRequest,
    Benefit,
    AuditEvent,
)


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", "--quiet", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded() -> str:
    return _seed()


def _project(slug: str) -> JointProject:
    return JointProject.objects.select_related("collaboration", "lead_trust").get(slug=slug)


def _statuses(project: JointProject) -> dict[str, str]:
    return dict(project.participations.values_list("trust__short_name", "status"))


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED_MODELS}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "collaboration", "status", "lead_trust", "funding_model"),
    [
        (AI_TRIAGE, "southern", ProjectStatus.ACTIVE, "SECAmb", FundingModel.WEIGHTED),
        (DCA_SPECIFICATION, "southern", ProjectStatus.OPEN, "SCAS", FundingModel.EQUAL_SPLIT),
        (DRIVER_TRAINING, "southern", ProjectStatus.DRAFT, "SWASFT", FundingModel.EQUAL_SPLIT),
        (WELLBEING, "southern", ProjectStatus.COMPLETED, "LAS", FundingModel.LEAD_TRUST_FUNDED),
        (NORTHERN_PASSPORT, "northern", ProjectStatus.ACTIVE, "YAS", FundingModel.EQUAL_SPLIT),
    ],
)
def test_each_demo_project_is_in_its_state(
    seeded, slug, collaboration, status, lead_trust, funding_model
):
    project = _project(slug)
    assert project.collaboration.slug == collaboration
    assert project.status == status
    assert project.lead_trust.short_name == lead_trust
    assert project.funding_model == funding_model
    assert project.total_budget > 0
    assert project.staff_days_per_trust > 0
    assert project.terms and project.summary
    assert project.milestones.count() >= 3
    assert project.decision_deadline <= project.planned_start <= project.planned_end
    milestones = project.milestones.all()
    assert all(project.planned_start <= m.due_on <= project.planned_end for m in milestones)


@pytest.mark.django_db
def test_the_ai_triage_project_has_red_amber_and_green_commitments(seeded):
    today = timezone.localdate()
    commitments = list(Commitment.objects.filter(participation__project__slug=AI_TRIAGE))
    rags = {commitment.rag() for commitment in commitments}
    assert {Rag.RED, Rag.AMBER, Rag.GREEN} <= rags
    # Past due, due within the fortnight, and later: by date alone, not only by status.
    assert any(c.due_on < today and c.status not in ("done", "accepted") for c in commitments)
    assert any(rag_for(c.status, c.due_on, today) == Rag.AMBER for c in commitments)
    assert any(c.due_on > today + datetime.timedelta(days=14) for c in commitments)
    # Commitments follow their milestones' dates.
    assert all(c.due_on == c.milestone.due_on for c in commitments)


@pytest.mark.django_db
def test_the_ai_triage_project_has_a_real_history(seeded):
    project = _project(AI_TRIAGE)
    assert _statuses(project) == {
        "SECAmb": ParticipationStatus.COMMITTED,
        "LAS": ParticipationStatus.COMMITTED,
        "EEAST": ParticipationStatus.COMMITTED,
        "SCAS": ParticipationStatus.COMMITTED,
        "SWASFT": ParticipationStatus.OPTED_OUT,
    }
    # Weighted by call volume: the shares of the committed trusts add up to the budget.
    shares = dict(project.participations.values_list("trust__short_name", "cost_share"))
    assert shares["LAS"] > shares["SECAmb"]
    assert sum(share for share in shares.values() if share is not None) == project.total_budget
    weights = dict(project.participations.values_list("trust__short_name", "funding_weight"))
    assert weights["LAS"] == Decimal("1.60")
    assert len(set(weights.values())) > 1

    commitments = Commitment.objects.filter(participation__project=project)
    assert commitments.filter(status=CommitmentStatus.ACCEPTED, accepted_by__isnull=False)
    assert commitments.filter(status=CommitmentStatus.BLOCKED).exists()
    assert CommitmentUpdate.objects.filter(
        commitment__participation__project=project, status_after=CommitmentStatus.IN_PROGRESS
    ).exclude(note="")
    assert commitments.filter(owner__email="staff.las@example.org").exists()

    withdrawal = WithdrawalRequest.objects.get(participation__project=project)
    assert withdrawal.participation.trust.short_name == "EEAST"
    assert withdrawal.status == RequestStatus.REJECTED
    assert withdrawal.reason and withdrawal.impact and withdrawal.decision_reason
    late_join = LateJoinRequest.objects.get(participation__project=project)
    assert late_join.participation.trust.short_name == "SWASFT"
    assert late_join.is_pending

    timeline = AuditEvent.objects.filter(context=audit_context(project))
    actions = set(timeline.values_list("action", flat=True))
    assert {
        "project.created",
        "project.opened",
        "participation.opted_in",
        "participation.opted_out",
        "project.started",
        "commitment.updated",
        "commitment.accepted",
        "commitment.sent_back",
        "withdrawal.requested",
        "withdrawal.rejected",
        "late_join.requested",
        "benefit.expected_recorded",
    } <= actions
    decisions = timeline.filter(action__startswith="participation.")
    assert all(event.reason and event.actor_id for event in decisions)


@pytest.mark.django_db
def test_the_open_specification_project_has_trusts_decided_and_undecided(seeded):
    project = _project(DCA_SPECIFICATION)
    assert project.is_open_for_decisions()
    statuses = _statuses(project)
    assert set(statuses) == SOUTHERN_TRUSTS
    decided = {trust for trust, status in statuses.items() if status != "undecided"}
    assert decided and decided != SOUTHERN_TRUSTS
    assert statuses["SCAS"] == ParticipationStatus.OPTED_IN
    assert statuses["EEAST"] == ParticipationStatus.OPTED_OUT
    assert statuses["LAS"] == statuses["SECAmb"] == ParticipationStatus.UNDECIDED
    for participation in project.participations.exclude(status=ParticipationStatus.UNDECIDED):
        assert participation.reason and participation.decided_by and participation.contact
        assert participation.decided_by.leads_trust(participation.trust)
    # SWASFT changed its mind before the deadline: both decisions are on the record.
    swasft = AuditEvent.objects.filter(
        context=audit_context(project), action__startswith="participation.", trust__slug="swasft"
    )
    assert list(swasft.order_by("occurred_at", "pk").values_list("action", flat=True)) == [
        "participation.opted_out",
        "participation.opted_in",
    ]
    assert not Commitment.objects.filter(participation__project=project).exists()


@pytest.mark.django_db
def test_the_driver_training_project_is_a_draft_no_trust_has_seen(seeded):
    project = _project(DRIVER_TRAINING)
    assert not project.participations.exists()
    assert project.decision_deadline > timezone.localdate()


@pytest.mark.django_db
def test_the_completed_project_has_everything_accepted_and_benefits_realised(seeded):
    project = _project(WELLBEING)
    assert project.finished_at is not None
    assert project.planned_end < timezone.localdate()
    committed = set(
        project.participations.filter(status=ParticipationStatus.COMMITTED).values_list(
            "trust__short_name", flat=True
        )
    )
    assert committed == {"LAS", "SECAmb", "SCAS", "SWASFT"}
    commitments = Commitment.objects.filter(participation__project=project)
    assert commitments.count() == 4 * 3
    assert set(commitments.values_list("status", flat=True)) == {CommitmentStatus.ACCEPTED}
    # Lead-trust funded: LAS pays for it all.
    shares = dict(project.participations.values_list("trust__short_name", "cost_share"))
    assert shares["LAS"] == project.total_budget
    realised = project.benefits.filter(kind=BenefitKind.REALISED)
    assert set(realised.values_list("trust__short_name", flat=True)) == committed
    assert all(b.staff_hours_released > 0 and b.measure for b in realised)
    assert project.benefits.filter(kind=BenefitKind.EXPECTED).count() == 4


@pytest.mark.django_db
def test_a_northern_project_exists_with_a_withdrawal_waiting(seeded):
    project = _project(NORTHERN_PASSPORT)
    statuses = _statuses(project)
    assert statuses["YAS"] == statuses["NEAS"] == statuses["NWAS"] == "committed"
    assert statuses["EMAS"] == statuses["WMAS"] == ParticipationStatus.NOT_JOINED
    pending = WithdrawalRequest.objects.get(participation__project=project)
    assert pending.is_pending
    assert pending.participation.trust.short_name == "NWAS"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "visible"),
    [
        (
            "admin.southern@example.org",
            {AI_TRIAGE, DCA_SPECIFICATION, DRIVER_TRAINING, WELLBEING, JOINT_PURCHASE},
        ),
        ("lead.las@example.org", {AI_TRIAGE, DCA_SPECIFICATION, WELLBEING, JOINT_PURCHASE}),
        ("staff.las@example.org", {AI_TRIAGE, DCA_SPECIFICATION, WELLBEING, JOINT_PURCHASE}),
        ("lead.swasft@example.org", {AI_TRIAGE, DCA_SPECIFICATION, WELLBEING, JOINT_PURCHASE}),
        ("admin.northern@example.org", {NORTHERN_PASSPORT}),
        ("lead.yas@example.org", {NORTHERN_PASSPORT}),
        ("lead.nwas@example.org", {NORTHERN_PASSPORT}),
        (
            "siteadmin@example.org",
            {
                AI_TRIAGE,
                DCA_SPECIFICATION,
                DRIVER_TRAINING,
                WELLBEING,
                NORTHERN_PASSPORT,
                ROTATIONAL_POSTS,
                JOINT_PURCHASE,
            },
        ),
    ],
)
def test_each_demo_account_sees_its_collaborations_projects(seeded, email, visible):
    user = User.objects.get(email=email)
    assert set(projects_visible_to(user).values_list("slug", flat=True)) == visible


@pytest.mark.django_db
def test_seeding_again_changes_nothing(seeded):
    before = _counts()
    # And the draft promoted from a demo idea, and the joint purchase with its procurement round.
    assert before["JointProject"] == 5 + 1 + 1
    output = _seed()
    assert _counts() == before
    assert "Demo joint projects: 5" in output
