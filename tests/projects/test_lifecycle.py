"""The project lifecycle: draft -> open for decisions -> active -> completed or closed."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from collab.audit import audit_context
from collab.models import AuditEvent
from projects.errors import TransitionRefused
from projects.models import (
    Category,
    Commitment,
    CommitmentStatus,
    FundingModel,
    JointProject,
    Milestone,
    ParticipationStatus,
    ProjectStatus,
)
from projects.services import (
    milestone_remove,
    milestone_save,
    participation_decide,
    project_close,
    project_complete,
    project_create,
    project_open,
    project_start,
    project_update_terms,
)
from tests.factories import MembershipFactory, TrustFactory
from tests.projects.helpers import days, events_for, noon, refused, spoken


def _terms(**overrides) -> dict:
    terms = {
        "title": "Common defibrillator contract",
        "summary": "Buy defibrillators together.",
        "category": Category.VEHICLES_AND_PROCUREMENT,
        "terms": "Each trust buys through the joint contract.",
        "funding_model": FundingModel.EQUAL_SPLIT,
        "total_budget": Decimal("90000.00"),
        "staff_days_per_trust": 5,
        "decision_deadline": days(10),
        "planned_start": days(20),
        "planned_end": days(200),
    }
    return terms | overrides


def _decide(participation, lead, *, opt_in=True, reason="We are in."):
    return participation_decide(
        participation=participation,
        actor=lead,
        opt_in=opt_in,
        reason=reason,
        contact=lead if opt_in else None,
        confirmed=opt_in,
    )


@pytest.fixture
def scas(southern):
    """A third southern trust, a member since long ago."""
    trust = TrustFactory(
        name="South Central Ambulance Service NHS Foundation Trust",
        short_name="SCAS",
        slug="scas",
        ods_code="RYE",
    )
    MembershipFactory(collaboration=southern, trust=trust, joined_on=datetime.date(2020, 4, 1))
    return trust


# --- Creating a draft -----------------------------------------------------------------------


def test_a_new_project_is_a_draft_with_an_audit_record(southern, admin_of_southern, las):
    project = project_create(
        collaboration=southern, actor=admin_of_southern, lead_trust=las, **_terms()
    )

    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT
    assert project.created_by == admin_of_southern
    assert project.slug == "common-defibrillator-contract"
    assert project.participations.count() == 0
    [event] = events_for(project)
    assert event.action == "project.created"
    assert event.actor == admin_of_southern
    assert event.before is None
    assert event.after["lead_trust"] == "LAS"
    assert event.after["total_budget"] == "90000.00"


def test_a_second_project_with_the_same_title_gets_its_own_slug(southern, admin_of_southern, las):
    first = project_create(
        collaboration=southern, actor=admin_of_southern, lead_trust=las, **_terms()
    )
    second = project_create(
        collaboration=southern, actor=admin_of_southern, lead_trust=las, **_terms()
    )
    assert first.slug == "common-defibrillator-contract"
    assert second.slug == "common-defibrillator-contract-2"


def test_the_lead_trust_must_be_a_member_of_the_collaboration(
    southern, northern, admin_of_southern, yas
):
    with refused(TransitionRefused, match="YAS is not a member of SASC", field="lead_trust"):
        project_create(collaboration=southern, actor=admin_of_southern, lead_trust=yas, **_terms())
    assert not JointProject.objects.exists()


def test_a_trust_that_has_left_the_collaboration_cannot_lead(southern, admin_of_southern, las):
    southern.memberships.filter(trust=las).update(left_on=days(-1))
    with refused(TransitionRefused, match="LAS is not a member", field="lead_trust"):
        project_create(collaboration=southern, actor=admin_of_southern, lead_trust=las, **_terms())


def test_a_project_cannot_end_before_it_starts(southern, admin_of_southern, las):
    with refused(ValidationError, match="planned end", field="planned_end"):
        project_create(
            collaboration=southern,
            actor=admin_of_southern,
            lead_trust=las,
            **_terms(planned_start=days(30), planned_end=days(29)),
        )


def test_the_decision_deadline_must_be_on_or_before_the_planned_start(
    southern, admin_of_southern, las
):
    with refused(ValidationError, match="decision deadline", field="decision_deadline"):
        project_create(
            collaboration=southern,
            actor=admin_of_southern,
            lead_trust=las,
            **_terms(decision_deadline=days(21), planned_start=days(20)),
        )


def test_a_decision_deadline_on_the_planned_start_is_accepted(southern, admin_of_southern, las):
    project = project_create(
        collaboration=southern,
        actor=admin_of_southern,
        lead_trust=las,
        **_terms(decision_deadline=days(20), planned_start=days(20)),
    )
    assert project.pk is not None


# --- Changing the terms ---------------------------------------------------------------------


def test_the_terms_of_a_draft_can_change(draft_project, admin_of_southern):
    project_update_terms(
        project=draft_project, actor=admin_of_southern, total_budget=Decimal("150000.00")
    )

    draft_project.refresh_from_db()
    assert draft_project.total_budget == Decimal("150000.00")
    [event] = events_for(draft_project, "project.terms_changed")
    assert event.actor == admin_of_southern
    assert event.before["total_budget"] == "120000.00"
    assert event.after["total_budget"] == "150000.00"


def test_the_terms_can_change_while_open_until_a_trust_decides(
    open_project, admin_of_southern, las, secamb
):
    weights = {str(las.pk): "3", str(secamb.pk): "1"}
    project_update_terms(
        project=open_project,
        actor=admin_of_southern,
        funding_model=FundingModel.WEIGHTED,
        funding_weights=weights,
    )

    open_project.refresh_from_db()
    assert open_project.funding_model == FundingModel.WEIGHTED
    # The weights in force are copied onto the rows that use them.
    assert open_project.participations.get(trust=las).funding_weight == Decimal("3")
    assert open_project.participations.get(trust=secamb).funding_weight == Decimal("1")
    assert len(events_for(open_project, "project.terms_changed")) == 1


def test_the_terms_cannot_change_once_any_trust_has_decided(
    open_project, secamb_participation, lead_of_secamb, admin_of_southern
):
    _decide(secamb_participation, lead_of_secamb, opt_in=False, reason="No budget this year.")
    with refused(TransitionRefused, match="trusts have decided on them (SECAmb)"):
        project_update_terms(project=open_project, actor=admin_of_southern, title="New title")


def test_the_terms_of_an_active_project_cannot_change(active_project, admin_of_southern):
    with refused(TransitionRefused, match="The terms of a project that is active cannot change"):
        project_update_terms(project=active_project, actor=admin_of_southern, title="New title")


def test_the_terms_of_a_closed_project_cannot_change(draft_project, admin_of_southern):
    project_close(project=draft_project, actor=admin_of_southern, reason="Not going ahead.")
    with refused(TransitionRefused, match="closed cannot change"):
        project_update_terms(project=draft_project, actor=admin_of_southern, title="New title")


def test_a_new_lead_trust_must_be_a_member(draft_project, admin_of_southern, yas):
    with refused(TransitionRefused, match="YAS is not a member", field="lead_trust"):
        project_update_terms(project=draft_project, actor=admin_of_southern, lead_trust=yas)


def test_only_the_terms_can_change_through_a_terms_update(draft_project, admin_of_southern):
    title = draft_project.title
    with refused(ValueError, match="status is not one of the project's terms"):
        project_update_terms(
            project=draft_project,
            actor=admin_of_southern,
            title="Renamed",
            status=ProjectStatus.ACTIVE,
        )
    draft_project.refresh_from_db()
    assert draft_project.title == title


def test_changed_dates_are_validated(draft_project, admin_of_southern):
    with refused(ValidationError, match="planned end", field="planned_end"):
        project_update_terms(project=draft_project, actor=admin_of_southern, planned_end=days(20))


# --- Milestones -----------------------------------------------------------------------------


@pytest.mark.parametrize("due", [20, 387], ids=["before-the-start", "after-the-end"])
def test_a_milestone_must_fall_within_the_project(draft_project, admin_of_southern, due):
    expected = (
        f"The due date must fall within the project: {spoken(days(21))} to {spoken(days(386))}."
    )
    with refused(TransitionRefused, match=expected, field="due_on"):
        milestone_save(
            project=draft_project,
            actor=admin_of_southern,
            title="Kick-off",
            deliverable="Attend.",
            due_on=days(due),
        )


@pytest.mark.parametrize("due", [21, 386], ids=["on-the-start", "on-the-end"])
def test_a_milestone_on_the_first_or_last_day_is_accepted(draft_project, admin_of_southern, due):
    milestone = milestone_save(
        project=draft_project,
        actor=admin_of_southern,
        title="Boundary",
        deliverable="Something.",
        due_on=days(due),
    )
    assert milestone.project_id == draft_project.pk
    [event] = events_for(milestone)
    assert event.action == "milestone.saved"
    assert event.before is None
    assert event.after == {"title": "Boundary", "due_on": str(days(due))}


def test_changing_a_milestone_records_before_and_after(draft_project, admin_of_southern):
    milestone = draft_project.milestones.get(title="Evaluation report")
    milestone_save(
        project=draft_project,
        actor=admin_of_southern,
        title="Final evaluation report",
        deliverable="The report.",
        due_on=days(120),
        milestone=milestone,
    )

    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_on) == ("Final evaluation report", days(120))
    event = events_for(milestone)[-1]
    assert event.before == {"title": "Evaluation report", "due_on": str(days(111))}
    assert event.after == {"title": "Final evaluation report", "due_on": str(days(120))}


def test_a_milestone_of_a_draft_can_be_removed(draft_project, admin_of_southern):
    milestone = draft_project.milestones.get(title="Evaluation report")
    milestone_pk = milestone.pk
    milestone_remove(milestone=milestone, actor=admin_of_southern)

    assert not Milestone.objects.filter(pk=milestone_pk).exists()
    [event] = AuditEvent.objects.filter(
        action="milestone.removed", target_type="projects.milestone", target_id=str(milestone_pk)
    )
    assert event.actor == admin_of_southern
    assert event.context == audit_context(draft_project)
    assert event.before == {"title": "Evaluation report", "due_on": str(days(111))}


def test_milestones_cannot_be_added_once_a_trust_has_decided(
    open_project, las_participation, lead_of_las, admin_of_southern
):
    _decide(las_participation, lead_of_las)
    with refused(TransitionRefused, match="trusts have decided on them (LAS)"):
        milestone_save(
            project=open_project,
            actor=admin_of_southern,
            title="Extra",
            deliverable="More.",
            due_on=days(60),
        )


def test_milestones_cannot_be_changed_once_a_trust_has_decided(
    open_project, las_participation, lead_of_las, admin_of_southern
):
    _decide(las_participation, lead_of_las)
    milestone = open_project.milestones.first()
    with refused(TransitionRefused, match="trusts have decided"):
        milestone_save(
            project=open_project,
            actor=admin_of_southern,
            title="Moved",
            deliverable="Moved.",
            due_on=days(70),
            milestone=milestone,
        )


def test_milestones_cannot_be_removed_once_a_trust_has_decided(
    open_project, las_participation, lead_of_las, admin_of_southern
):
    _decide(las_participation, lead_of_las)
    with refused(TransitionRefused, match="trusts have decided"):
        milestone_remove(milestone=open_project.milestones.first(), actor=admin_of_southern)


def test_milestones_of_an_active_project_cannot_change(active_project, admin_of_southern):
    with refused(TransitionRefused, match="active cannot change"):
        milestone_save(
            project=active_project,
            actor=admin_of_southern,
            title="Extra",
            deliverable="More.",
            due_on=days(60),
        )


# --- Opening for decisions ------------------------------------------------------------------


def test_only_a_draft_can_be_opened(open_project, admin_of_southern):
    with refused(TransitionRefused, match="Only a draft can be opened; this project is open"):
        project_open(project=open_project, actor=admin_of_southern)


def test_a_project_cannot_open_after_its_decision_deadline(draft_project, admin_of_southern):
    deadline = days(14)
    with (
        time_machine.travel(noon(15), tick=False),
        refused(
            TransitionRefused,
            match=f"The decision deadline, {spoken(deadline)}, has passed.",
            field="decision_deadline",
        ),
    ):
        project_open(project=draft_project, actor=admin_of_southern)


def test_a_project_can_open_on_its_decision_deadline(draft_project, admin_of_southern):
    with time_machine.travel(noon(14), tick=False):
        project = project_open(project=draft_project, actor=admin_of_southern)
    assert project.status == ProjectStatus.OPEN


def test_a_project_without_a_milestone_cannot_open(southern, admin_of_southern, las):
    project = project_create(
        collaboration=southern, actor=admin_of_southern, lead_trust=las, **_terms()
    )
    with refused(TransitionRefused, match="Add at least one milestone first"):
        project_open(project=project, actor=admin_of_southern)


def test_a_project_cannot_open_once_its_lead_trust_has_left(
    draft_project, southern, admin_of_southern, las
):
    southern.memberships.filter(trust=las).update(left_on=days(-1))
    with refused(TransitionRefused, match="LAS is not a member", field="lead_trust"):
        project_open(project=draft_project, actor=admin_of_southern)


def test_opening_gives_each_current_member_trust_one_undecided_participation(
    draft_project, southern, admin_of_southern, las, secamb, scas, yas
):
    left = TrustFactory(short_name="EMAS", slug="emas", ods_code="RX9")
    MembershipFactory(collaboration=southern, trust=left, joined_on=days(-400), left_on=days(-1))
    joining = TrustFactory(short_name="EEAST", slug="eeast", ods_code="RYC")
    MembershipFactory(collaboration=southern, trust=joining, joined_on=days(1))

    project = project_open(project=draft_project, actor=admin_of_southern)

    participations = list(project.participations.all())
    assert sorted(p.trust.short_name for p in participations) == ["LAS", "SCAS", "SECAmb"]
    assert {p.status for p in participations} == {ParticipationStatus.UNDECIDED}
    project.refresh_from_db()
    assert project.status == ProjectStatus.OPEN
    assert project.opened_at is not None
    [event] = events_for(project, "project.opened")
    assert event.actor == admin_of_southern
    assert event.before == ProjectStatus.DRAFT
    assert sorted(event.after["trusts"]) == ["LAS", "SCAS", "SECAmb"]


def test_opening_copies_each_trusts_funding_weight(
    draft_project, admin_of_southern, las, secamb, scas
):
    project_update_terms(
        project=draft_project,
        actor=admin_of_southern,
        funding_model=FundingModel.WEIGHTED,
        funding_weights={str(las.pk): "2.5", str(secamb.pk): "1.25"},
    )
    project = project_open(project=draft_project, actor=admin_of_southern)

    weights = {p.trust.short_name: p.funding_weight for p in project.participations.all()}
    # A trust without a weight of its own counts as 1.
    assert weights == {"LAS": Decimal("2.5"), "SECAmb": Decimal("1.25"), "SCAS": Decimal("1")}


# --- Starting -------------------------------------------------------------------------------


def test_a_project_with_no_opted_in_trust_cannot_start(
    open_project, secamb_participation, lead_of_secamb, admin_of_southern
):
    _decide(secamb_participation, lead_of_secamb, opt_in=False, reason="Not for us.")
    with refused(TransitionRefused, match="No trust has opted in, so the project cannot start"):
        project_start(project=open_project, actor=admin_of_southern)


def test_a_lead_trust_funded_project_cannot_start_without_the_lead_trust(
    draft_project, admin_of_southern, lead_of_secamb
):
    project_update_terms(
        project=draft_project,
        actor=admin_of_southern,
        funding_model=FundingModel.LEAD_TRUST_FUNDED,
    )
    project = project_open(project=draft_project, actor=admin_of_southern)
    _decide(project.participations.get(trust__short_name="SECAmb"), lead_of_secamb)
    with refused(TransitionRefused, match="The lead trust, LAS, funds this project"):
        project_start(project=project, actor=admin_of_southern)


@pytest.mark.parametrize("stage", ["draft_project", "active_project"])
def test_only_a_project_open_for_decisions_can_start(request, admin_of_southern, stage):
    project = request.getfixturevalue(stage)
    with refused(TransitionRefused, match="Only a project open for decisions can start"):
        project_start(project=project, actor=admin_of_southern)


def test_starting_commits_opted_in_trusts_and_marks_undecided_ones_as_not_joined(
    open_project, las_participation, lead_of_las, admin_of_southern
):
    _decide(las_participation, lead_of_las)
    project = project_start(project=open_project, actor=admin_of_southern)

    statuses = {p.trust.short_name: p.status for p in project.participations.all()}
    assert statuses == {
        "LAS": ParticipationStatus.COMMITTED,
        "SECAmb": ParticipationStatus.NOT_JOINED,
    }
    las_participation.refresh_from_db()
    assert las_participation.committed_at is not None
    project.refresh_from_db()
    assert project.status == ProjectStatus.ACTIVE
    assert project.started_at is not None
    [event] = events_for(project, "project.started")
    assert event.actor == admin_of_southern
    assert event.before == ProjectStatus.OPEN
    assert event.after == {
        "status": ProjectStatus.ACTIVE,
        "committed": ["LAS"],
        "not_joined": ["SECAmb"],
    }


def test_an_opted_out_trust_stays_opted_out_when_the_project_starts(
    open_project,
    las_participation,
    secamb_participation,
    lead_of_las,
    lead_of_secamb,
    admin_of_southern,
):
    _decide(las_participation, lead_of_las)
    _decide(secamb_participation, lead_of_secamb, opt_in=False, reason="No capacity.")
    project_start(project=open_project, actor=admin_of_southern)

    secamb_participation.refresh_from_db()
    assert secamb_participation.status == ParticipationStatus.OPTED_OUT
    assert secamb_participation.reason == "No capacity."
    assert secamb_participation.cost_share is None
    assert not secamb_participation.commitments.exists()


def test_starting_shares_the_cost_between_the_committed_trusts(active_project_both):
    shares = {p.trust.short_name: p.cost_share for p in active_project_both.participations.all()}
    assert shares == {"LAS": Decimal("60000.00"), "SECAmb": Decimal("60000.00")}


def test_starting_with_one_trust_puts_the_whole_cost_on_it(active_project):
    shares = {p.trust.short_name: p.cost_share for p in active_project.participations.all()}
    assert shares == {"LAS": Decimal("120000.00"), "SECAmb": None}


def test_starting_creates_a_commitment_per_milestone_per_committed_trust_owned_by_its_contact(
    active_project_both, lead_of_las, lead_of_secamb
):
    commitments = Commitment.objects.filter(participation__project=active_project_both)
    milestones = list(active_project_both.milestones.all())
    assert len(milestones) == 2
    assert commitments.count() == 4
    for commitment in commitments.select_related("participation__trust", "milestone"):
        assert commitment.status == CommitmentStatus.NOT_STARTED
        assert commitment.due_on == commitment.milestone.due_on
        assert commitment.deliverable == commitment.milestone.deliverable
        expected_owner = {"LAS": lead_of_las, "SECAmb": lead_of_secamb}[
            commitment.participation.trust.short_name
        ]
        assert commitment.owner == expected_owner
    assert {(c.participation.trust.short_name, c.milestone_id) for c in commitments} == {
        (trust, m.pk) for trust in ("LAS", "SECAmb") for m in milestones
    }


def test_a_trust_that_did_not_join_has_no_commitments(active_project, secamb):
    assert not Commitment.objects.filter(participation__trust=secamb).exists()
    assert Commitment.objects.filter(participation__project=active_project).count() == 2


# --- Completing -----------------------------------------------------------------------------


def test_a_project_with_outstanding_commitments_cannot_complete(active_project, admin_of_southern):
    with refused(TransitionRefused, match="2 commitments are not yet accepted"):
        project_complete(project=active_project, actor=admin_of_southern)


def test_one_outstanding_commitment_is_enough_to_refuse_completion(
    active_project, admin_of_southern
):
    first, _second = Commitment.objects.filter(participation__project=active_project)
    first.status = CommitmentStatus.ACCEPTED
    first.save()
    with refused(TransitionRefused, match="1 commitment is not yet accepted"):
        project_complete(project=active_project, actor=admin_of_southern)


def test_a_project_completes_once_every_commitment_is_accepted_or_withdrawn(
    active_project, admin_of_southern
):
    first, second = Commitment.objects.filter(participation__project=active_project)
    first.status, second.status = CommitmentStatus.ACCEPTED, CommitmentStatus.WITHDRAWN
    first.save()
    second.save()

    project = project_complete(project=active_project, actor=admin_of_southern)

    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED
    assert project.finished_at is not None
    [event] = events_for(project, "project.completed")
    assert (event.actor, event.before, event.after) == (
        admin_of_southern,
        ProjectStatus.ACTIVE,
        ProjectStatus.COMPLETED,
    )


def test_only_an_active_project_can_complete(open_project, admin_of_southern):
    with refused(TransitionRefused, match="Only an active project can be completed"):
        project_complete(project=open_project, actor=admin_of_southern)


# --- Closing --------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_closing_a_project_needs_a_reason(active_project, admin_of_southern, reason):
    with refused(TransitionRefused, match="Say why the project is closing", field="reason"):
        project_close(project=active_project, actor=admin_of_southern, reason=reason)


def test_closing_an_active_project_withdraws_its_open_commitments(
    active_project, admin_of_southern
):
    accepted, open_one = Commitment.objects.filter(participation__project=active_project)
    accepted.status = CommitmentStatus.ACCEPTED
    accepted.save()

    project_close(project=active_project, actor=admin_of_southern, reason="  Funding withdrawn. ")

    accepted.refresh_from_db()
    open_one.refresh_from_db()
    assert accepted.status == CommitmentStatus.ACCEPTED
    assert open_one.status == CommitmentStatus.WITHDRAWN
    active_project.refresh_from_db()
    assert active_project.status == ProjectStatus.CLOSED
    assert active_project.closure_reason == "Funding withdrawn."
    assert active_project.finished_at is not None
    [event] = events_for(active_project, "project.closed")
    assert (event.actor, event.before, event.after, event.reason) == (
        admin_of_southern,
        ProjectStatus.ACTIVE,
        ProjectStatus.CLOSED,
        "Funding withdrawn.",
    )


def test_a_draft_can_be_closed(draft_project, admin_of_southern):
    project_close(project=draft_project, actor=admin_of_southern, reason="Not going ahead.")
    draft_project.refresh_from_db()
    assert draft_project.status == ProjectStatus.CLOSED


@pytest.mark.parametrize("first", ["close", "complete"])
def test_a_finished_project_cannot_close(active_project, admin_of_southern, first):
    if first == "close":
        project_close(project=active_project, actor=admin_of_southern, reason="Stopped.")
    else:
        Commitment.objects.filter(participation__project=active_project).update(
            status=CommitmentStatus.ACCEPTED
        )
        project_complete(project=active_project, actor=admin_of_southern)
    with refused(TransitionRefused, match="This project is already"):
        project_close(project=active_project, actor=admin_of_southern, reason="Again.")
