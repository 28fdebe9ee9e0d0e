"""Every view of joint projects against every kind of person (convention 11).

For each view in projects/urls.py (the tracker views are tested with the tracker): the happy
path (the right person, the right method, and its effect in the database), the wrong method
(405), a person who can see the object but may not do this (403), a person of another tenant
(404, exactly like an object that does not exist), and someone signed out (sent to sign in).
Every refusal leaves every table the project services write exactly as it was.

The rules, from the issue: only a lead of a member trust decides for that trust; only programme
admins of the project's collaboration manage it; staff of member trusts can read it; anyone
else gets 404. Drafts are visible to programme admins only.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import (
    Benefit,
    Category,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    FundingModel,
    JointProject,
    LateJoinRequest,
    Milestone,
    ParticipationStatus,
    ProjectStatus,
    RequestStatus,
    WithdrawalRequest,
)
from projects.services import (
    commitment_update,
    late_join_request_create,
    milestone_save,
    participation_decide,
    project_create,
    withdrawal_request_create,
)
from tests.projects.helpers import days, db_state, events_for
from tests.view_cases import (
    case_params,
    check_forbidden,
    check_happy_path,
    check_hidden,
    check_reader,
    check_signed_out,
    check_wrong_methods_refused,
    person_case_params,
    persona_cases,
)

PDF = b"%PDF-1.4\n% the signed data sharing agreement\n%%EOF\n"


# --- Fixtures of this module -------------------------------------------------------------------


@pytest.fixture
def second_draft(southern, admin_of_southern, secamb):
    """A draft in Southern that exists alongside `open_project`, with one milestone."""
    project = project_create(
        collaboration=southern,
        actor=admin_of_southern,
        lead_trust=secamb,
        title="Common vehicle specification",
        summary="Buy the next generation of double-crewed ambulances to one specification.",
        category=Category.VEHICLES_AND_PROCUREMENT,
        terms="Each trust names a fleet lead and buys against the common specification.",
        funding_model=FundingModel.EQUAL_SPLIT,
        total_budget=Decimal("60000.00"),
        staff_days_per_trust=10,
        decision_deadline=days(14),
        planned_start=days(21),
        planned_end=days(386),
    )
    milestone_save(
        project=project,
        actor=admin_of_southern,
        title="Specification agreed",
        deliverable="Sign-off of the specification by each trust's fleet lead.",
        due_on=days(60),
    )
    return project


def terms_data(project: JointProject | None = None, **overrides) -> dict[str, str]:
    """The project form as a browser posts it: the project's terms, or a new project's."""
    if project is None:
        data = {
            "title": "Shared fleet telematics",
            "summary": "One telematics contract for every vehicle of the southern trusts.",
            "category": Category.VEHICLES_AND_PROCUREMENT,
            "terms": "Each trust fits the units to its fleet and shares the data.",
            "funding_model": FundingModel.EQUAL_SPLIT,
            "total_budget": "80000.00",
            "staff_days_per_trust": "5",
            "decision_deadline": days(14).isoformat(),
            "planned_start": days(30).isoformat(),
            "planned_end": days(200).isoformat(),
        }
    else:
        data = {
            "title": project.title,
            "summary": project.summary,
            "category": project.category,
            "lead_trust": str(project.lead_trust_id),
            "terms": project.terms,
            "funding_model": project.funding_model,
            "total_budget": str(project.total_budget),
            "staff_days_per_trust": str(project.staff_days_per_trust),
            "decision_deadline": project.decision_deadline.isoformat(),
            "planned_start": project.planned_start.isoformat(),
            "planned_end": project.planned_end.isoformat(),
        }
    data |= {"weight_las": "1", "weight_secamb": "1"}
    return data | overrides


def _las_commitment(project: JointProject) -> Commitment:
    return (
        Commitment.objects.filter(participation__project=project, participation__trust__slug="las")
        .select_related("milestone")
        .order_by("due_on", "pk")
        .first()
    )


# --- The table ---------------------------------------------------------------------------------


@dataclass
class Scene:
    """What one case is about: its URLs (by key; "main" is the one under test), the project whose
    title must never leak to another tenant, and the objects its checks look at."""

    fx: Callable[[str], Any]
    urls: dict[str, str]
    project: JointProject | None = None
    objects: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.urls["main"]


def _scene_list(fx):
    project = fx("open_project")
    return Scene(fx, {"main": reverse("projects:list")}, project)


def _scene_new(fx):
    southern = fx("southern")
    return Scene(fx, {"main": reverse("projects:new", args=[southern.slug])})


def _scene_detail(fx):
    project, draft = fx("open_project"), fx("second_draft")
    return Scene(
        fx,
        {"main": project.get_absolute_url(), "draft": draft.get_absolute_url()},
        project,
        {"draft": draft},
    )


def _scene_draft_and_open(name: str):
    """A view that manages a project: the draft is the happy path; the open project (which a
    trust lead can see) is where a lead is refused with 403."""

    def build(fx):
        draft, project = fx("second_draft"), fx("open_project")
        return Scene(
            fx,
            {
                "main": reverse(f"projects:{name}", args=[draft.slug]),
                "open": reverse(f"projects:{name}", args=[project.slug]),
            },
            project,
            {"draft": draft},
        )

    return build


def _scene_milestone(name: str):
    def build(fx):
        draft, project = fx("second_draft"), fx("open_project")
        milestone = draft.milestones.get()
        return Scene(
            fx,
            {
                "main": reverse(f"projects:{name}", args=[draft.slug, milestone.public_id]),
                "open": reverse(
                    f"projects:{name}", args=[project.slug, project.milestones.first().public_id]
                ),
            },
            project,
            {"draft": draft, "milestone": milestone},
        )

    return build


def _scene_start(fx):
    project = fx("open_project")
    lead = fx("lead_of_las")
    participation_decide(
        participation=fx("las_participation"),
        actor=lead,
        opt_in=True,
        reason="Triage is our top priority.",
        contact=lead,
        confirmed=True,
    )
    return Scene(fx, {"main": reverse("projects:start", args=[project.slug])}, project)


def _scene_complete(fx):
    project = fx("active_project")
    Commitment.objects.filter(participation__project=project).update(
        status=CommitmentStatus.ACCEPTED
    )
    return Scene(fx, {"main": reverse("projects:complete", args=[project.slug])}, project)


def _scene_close(fx):
    project = fx("open_project")
    return Scene(fx, {"main": reverse("projects:close", args=[project.slug])}, project)


def _scene_trust_url(name: str, stage: str, trust: str, *extra: str):
    def build(fx):
        project = fx(stage)
        fx("secamb")
        urls = {
            "main": reverse(f"projects:{name}", args=[project.slug, trust, *extra]),
            "las": reverse(f"projects:{name}", args=[project.slug, "las", *extra]),
            "secamb": reverse(f"projects:{name}", args=[project.slug, "secamb", *extra]),
            "yas": reverse(f"projects:{name}", args=[project.slug, "yas", *extra]),
        }
        return Scene(fx, urls, project)

    return build


def _scene_withdrawal_decide(fx):
    project = fx("active_project_both")
    request = withdrawal_request_create(
        participation=fx("las_participation"),
        actor=fx("lead_of_las"),
        reason="Our control room is moving to a new system this year.",
        impact="SECAmb would evaluate alone; the call data from London would stop.",
    )
    return Scene(fx, {"main": request.get_decide_url()}, project, {"request": request})


def _scene_late_join_decide(fx):
    project = fx("active_project")
    lead = fx("lead_of_secamb")
    request = late_join_request_create(
        participation=fx("secamb_participation"),
        actor=lead,
        reason="Our board has now approved the funding.",
        contact=lead,
        confirmed=True,
    )
    return Scene(fx, {"main": request.get_decide_url()}, project, {"request": request})


def _scene_commitment(fx):
    project = fx("active_project")
    commitment = _las_commitment(project)
    return Scene(fx, {"main": commitment.get_absolute_url()}, project, {"commitment": commitment})


def _scene_commitment_review(fx):
    project = fx("active_project")
    commitment = _las_commitment(project)
    commitment_update(
        commitment=commitment,
        actor=fx("lead_of_las"),
        status=CommitmentStatus.DONE,
        note="Signed by our Caldicott guardian.",
    )
    return Scene(
        fx,
        {"main": reverse("projects:commitment_review", args=[commitment.public_id])},
        project,
        {"commitment": commitment},
    )


def _scene_evidence(fx):
    settings = fx("settings")
    settings.MEDIA_ROOT = fx("tmp_path") / "media"
    project = fx("active_project")
    update = commitment_update(
        commitment=_las_commitment(project),
        actor=fx("lead_of_las"),
        status=CommitmentStatus.IN_PROGRESS,
        note="The agreement, signed.",
        evidence=SimpleUploadedFile("agreement.pdf", PDF, content_type="application/pdf"),
    )
    return Scene(fx, {"main": reverse("projects:evidence", args=[update.public_id])}, project, {})


def _scene_trust_projects(fx):
    project = fx("open_project")
    return Scene(fx, {"main": reverse("projects:trust_projects", args=["las"])}, project)


# --- What the happy path posts, and what it must change -----------------------------------------


def _new_data(scene):
    return terms_data(lead_trust=str(scene.fx("las").pk))


def _new_effect(scene, response):
    project = JointProject.objects.get(title="Shared fleet telematics")
    assert response.url == project.get_absolute_url()
    assert project.status == ProjectStatus.DRAFT
    assert project.collaboration == scene.fx("southern")
    assert project.created_by == scene.fx("admin_of_southern")
    assert [e.action for e in events_for(project)] == ["project.created"]


def _edit_effect(scene, response):
    draft = scene.objects["draft"]
    assert response.url == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.title == "Common ambulance specification"
    assert len(events_for(draft, "project.terms_changed")) == 1


def _milestone_new_effect(scene, response):
    draft = scene.objects["draft"]
    assert response.url == draft.get_absolute_url()
    added = draft.milestones.get(title="Pilot vehicles delivered")
    assert added.due_on == days(120)
    assert added.deliverable == "Two pilot vehicles in service at each trust."


def _milestone_edit_effect(scene, response):
    milestone = scene.objects["milestone"]
    assert response.url == scene.objects["draft"].get_absolute_url()
    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_on) == ("Specification signed off", days(70))


def _milestone_remove_effect(scene, response):
    milestone = scene.objects["milestone"]
    assert response.url == scene.objects["draft"].get_absolute_url()
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    assert len(events_for(milestone, "milestone.removed")) == 1


def _open_effect(scene, response):
    draft = scene.objects["draft"]
    assert response.url == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == ProjectStatus.OPEN
    assert sorted(draft.participations.values_list("trust__slug", "status")) == [
        ("las", ParticipationStatus.UNDECIDED),
        ("secamb", ParticipationStatus.UNDECIDED),
    ]


def _start_effect(scene, response):
    project = scene.project
    assert response.url == project.get_absolute_url()
    project.refresh_from_db()
    assert project.status == ProjectStatus.ACTIVE
    assert dict(project.participations.values_list("trust__slug", "status")) == {
        "las": ParticipationStatus.COMMITTED,
        "secamb": ParticipationStatus.NOT_JOINED,
    }
    assert Commitment.objects.filter(participation__project=project).count() == 2


def _complete_effect(scene, response):
    project = scene.project
    assert response.url == project.get_absolute_url()
    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED
    assert len(events_for(project, "project.completed")) == 1


def _close_effect(scene, response):
    project = scene.project
    assert response.url == project.get_absolute_url()
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED
    assert project.closure_reason == "The national programme now covers this."


def _decide_data(scene):
    return {
        "decision": "in",
        "reason": "Triage is our top priority.",
        "contact": str(scene.fx("lead_of_las").pk),
        "confirmed": "on",
    }


def _decide_effect(scene, response):
    assert response.url == scene.project.get_absolute_url()
    participation = scene.project.participations.get(trust__slug="las")
    assert participation.status == ParticipationStatus.OPTED_IN
    assert participation.decided_by == scene.fx("lead_of_las")
    assert participation.reason == "Triage is our top priority."
    assert scene.project.participations.get(trust__slug="secamb").status == (
        ParticipationStatus.UNDECIDED
    )


def _withdraw_effect(scene, response):
    assert response.url == scene.project.get_absolute_url()
    request = WithdrawalRequest.objects.get(participation__project=scene.project)
    assert request.participation.trust.slug == "las"
    assert request.status == RequestStatus.PENDING
    assert request.requested_by == scene.fx("lead_of_las")
    assert request.participation.status == ParticipationStatus.COMMITTED


def _join_late_data(scene):
    return {
        "reason": "Our board has now approved the funding.",
        "contact": str(scene.fx("lead_of_secamb").pk),
        "confirmed": "on",
    }


def _join_late_effect(scene, response):
    assert response.url == scene.project.get_absolute_url()
    request = LateJoinRequest.objects.get(participation__project=scene.project)
    assert request.participation.trust.slug == "secamb"
    assert (request.status, request.contact) == (RequestStatus.PENDING, scene.fx("lead_of_secamb"))


def _benefit_effect(scene, response):
    assert response.url == scene.project.get_absolute_url()
    benefit = Benefit.objects.get(project=scene.project)
    assert (benefit.trust.slug, benefit.kind) == ("las", "expected")
    assert (benefit.staff_hours_released, benefit.money_saved) == (
        Decimal("120.0"),
        Decimal("4500.00"),
    )


def _request_decide_effect(scene, response):
    request = scene.objects["request"]
    assert response.url == scene.project.get_absolute_url()
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert request.decided_by == scene.fx("admin_of_southern")
    assert request.decision_reason == "Agreed at the programme board."


def _withdrawal_decide_effect(scene, response):
    _request_decide_effect(scene, response)
    assert scene.objects["request"].participation.status == ParticipationStatus.WITHDRAWN


def _late_join_decide_effect(scene, response):
    _request_decide_effect(scene, response)
    secamb = scene.project.participations.get(trust__slug="secamb")
    assert secamb.status == ParticipationStatus.COMMITTED
    assert secamb.commitments.count() == 2


def _commitment_effect(scene, response):
    commitment = scene.objects["commitment"]
    assert response.url == commitment.get_absolute_url()
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.IN_PROGRESS
    update = commitment.updates.get()
    assert (update.author, update.note) == (scene.fx("lead_of_las"), "Drafted with our DPO.")


def _review_effect(scene, response):
    commitment = scene.objects["commitment"]
    assert response.url == commitment.get_absolute_url()
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.ACCEPTED
    assert commitment.accepted_by == scene.fx("admin_of_southern")


def _evidence_check(scene, response):
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="agreement.pdf"'


@dataclass(frozen=True)
class Case:
    name: str
    methods: tuple[str, ...]  # the methods the view answers
    build: Callable
    actor: str  # the person for whom it works
    shows: str = ""  # text the GET page shows to `actor`
    get_check: Callable | None = None
    data: Callable = lambda scene: {}
    effect: Callable | None = None  # what a POST by `actor` changes
    # (persona, url key, methods refused): may see the object, may not do this -> 403
    forbidden: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    # (persona, url key): another tenant, or a draft they may not see -> 404
    hidden: tuple[tuple[str, str], ...] = (("lead_of_yas", "main"), ("admin_of_northern", "main"))
    # more people who may read the page (GET -> 200): staff of member trusts, their admins
    readers: tuple[str, ...] = ()


GP = ("GET", "POST")
MANAGERS_ONLY = (("lead_of_las", "open", GP), ("staff_of_las", "open", GP))
DRAFT_HIDDEN = (
    ("staff_of_las", "main"),
    ("lead_of_las", "main"),
    ("lead_of_secamb", "main"),
    ("lead_of_yas", "open"),
    ("admin_of_northern", "open"),
)

CASES = [
    Case(
        name="list",
        methods=("GET",),
        build=_scene_list,
        actor="staff_of_las",
        shows="AI triage evaluation",
        hidden=(),  # the list answers everyone; what it lists is tested below
        readers=("lead_of_secamb", "admin_of_southern", "site_admin"),
    ),
    Case(
        name="new",
        methods=GP,
        build=_scene_new,
        actor="admin_of_southern",
        shows="New joint project",
        data=_new_data,
        effect=_new_effect,
        forbidden=(("lead_of_las", "main", GP), ("staff_of_las", "main", GP)),
    ),
    Case(
        name="detail",
        methods=("GET",),
        build=_scene_detail,
        actor="staff_of_las",
        shows="AI triage evaluation",
        hidden=(
            ("lead_of_yas", "main"),
            ("admin_of_northern", "main"),
            ("staff_of_las", "draft"),
            ("lead_of_las", "draft"),
            ("admin_of_northern", "draft"),
        ),
        readers=("lead_of_las", "lead_of_secamb", "admin_of_southern", "site_admin"),
    ),
    Case(
        name="edit",
        methods=GP,
        build=_scene_draft_and_open("edit"),
        actor="admin_of_southern",
        shows='value="Common vehicle specification"',
        data=lambda scene: terms_data(
            scene.objects["draft"], title="Common ambulance specification"
        ),
        effect=_edit_effect,
        forbidden=MANAGERS_ONLY,
        hidden=DRAFT_HIDDEN,
    ),
    Case(
        name="milestone_new",
        methods=GP,
        build=_scene_draft_and_open("milestone_new"),
        actor="admin_of_southern",
        shows="Due date",
        data=lambda scene: {
            "title": "Pilot vehicles delivered",
            "deliverable": "Two pilot vehicles in service at each trust.",
            "due_on": days(120).isoformat(),
        },
        effect=_milestone_new_effect,
        forbidden=MANAGERS_ONLY,
        hidden=DRAFT_HIDDEN,
    ),
    Case(
        name="milestone_edit",
        methods=GP,
        build=_scene_milestone("milestone_edit"),
        actor="admin_of_southern",
        shows='value="Specification agreed"',
        data=lambda scene: {
            "title": "Specification signed off",
            "deliverable": "Sign-off by each trust's fleet lead.",
            "due_on": days(70).isoformat(),
        },
        effect=_milestone_edit_effect,
        forbidden=MANAGERS_ONLY,
        hidden=DRAFT_HIDDEN,
    ),
    Case(
        name="milestone_remove",
        methods=("POST",),
        build=_scene_milestone("milestone_remove"),
        actor="admin_of_southern",
        effect=_milestone_remove_effect,
        forbidden=(("lead_of_las", "open", ("POST",)), ("staff_of_las", "open", ("POST",))),
        hidden=DRAFT_HIDDEN,
    ),
    Case(
        name="open",
        methods=("POST",),
        build=_scene_draft_and_open("open"),
        actor="admin_of_southern",
        effect=_open_effect,
        forbidden=(("lead_of_las", "open", ("POST",)), ("staff_of_las", "open", ("POST",))),
        hidden=DRAFT_HIDDEN,
    ),
    Case(
        name="start",
        methods=("POST",),
        build=_scene_start,
        actor="admin_of_southern",
        effect=_start_effect,
        forbidden=(("lead_of_las", "main", ("POST",)), ("lead_of_secamb", "main", ("POST",))),
    ),
    Case(
        name="complete",
        methods=("POST",),
        build=_scene_complete,
        actor="admin_of_southern",
        effect=_complete_effect,
        forbidden=(("lead_of_las", "main", ("POST",)), ("staff_of_las", "main", ("POST",))),
    ),
    Case(
        name="close",
        methods=GP,
        build=_scene_close,
        actor="admin_of_southern",
        shows="Why is the project closing?",
        data=lambda scene: {"reason": "The national programme now covers this."},
        effect=_close_effect,
        forbidden=(("lead_of_las", "main", GP), ("staff_of_las", "main", GP)),
    ),
    Case(
        name="decide",
        methods=GP,
        build=_scene_trust_url("decide", "open_project", "las"),
        actor="lead_of_las",
        shows="Will LAS join this project?",
        data=_decide_data,
        effect=_decide_effect,
        forbidden=(
            ("staff_of_las", "main", GP),
            ("lead_of_secamb", "main", GP),
            ("lead_of_las", "secamb", GP),
            ("admin_of_southern", "main", GP),
        ),
        hidden=(("lead_of_yas", "main"), ("admin_of_northern", "main"), ("lead_of_las", "yas")),
    ),
    Case(
        name="withdraw",
        methods=GP,
        build=_scene_trust_url("withdraw", "active_project", "las"),
        actor="lead_of_las",
        shows="Why does your trust want to withdraw?",
        data=lambda scene: {
            "reason": "Our control room is moving to a new system this year.",
            "impact": "SECAmb would evaluate alone.",
        },
        effect=_withdraw_effect,
        forbidden=(
            ("staff_of_las", "main", GP),
            ("lead_of_secamb", "main", GP),
            ("admin_of_southern", "main", GP),
        ),
        hidden=(("lead_of_yas", "main"), ("admin_of_northern", "main"), ("lead_of_las", "yas")),
    ),
    Case(
        name="join_late",
        methods=GP,
        build=_scene_trust_url("join_late", "active_project", "secamb"),
        actor="lead_of_secamb",
        shows="Why does your trust want to join now?",
        data=_join_late_data,
        effect=_join_late_effect,
        forbidden=(("lead_of_las", "main", GP), ("admin_of_southern", "main", GP)),
    ),
    Case(
        name="benefit",
        methods=GP,
        build=_scene_trust_url("benefit", "open_project", "las", "expected"),
        actor="lead_of_las",
        shows="Staff hours released",
        data=lambda scene: {
            "staff_hours_released": "120",
            "money_saved": "4500",
            "measure": "Fewer calls waiting for triage.",
        },
        effect=_benefit_effect,
        forbidden=(("staff_of_las", "main", GP), ("lead_of_las", "secamb", GP)),
    ),
    Case(
        name="withdrawal_decide",
        methods=GP,
        build=_scene_withdrawal_decide,
        actor="admin_of_southern",
        shows="Our control room is moving to a new system this year.",
        data=lambda scene: {"decision": "approve", "reason": "Agreed at the programme board."},
        effect=_withdrawal_decide_effect,
        forbidden=(
            ("lead_of_las", "main", GP),
            ("lead_of_secamb", "main", GP),
            ("staff_of_las", "main", GP),
        ),
    ),
    Case(
        name="late_join_decide",
        methods=GP,
        build=_scene_late_join_decide,
        actor="admin_of_southern",
        shows="Our board has now approved the funding.",
        data=lambda scene: {"decision": "approve", "reason": "Agreed at the programme board."},
        effect=_late_join_decide_effect,
        forbidden=(("lead_of_secamb", "main", GP), ("lead_of_las", "main", GP)),
    ),
    Case(
        name="commitment",
        methods=GP,
        build=_scene_commitment,
        actor="lead_of_las",
        shows="Data sharing agreement signed",
        data=lambda scene: {
            "status": CommitmentStatus.IN_PROGRESS,
            "note": "Drafted with our DPO.",
            "owner": str(scene.fx("lead_of_las").pk),
        },
        effect=_commitment_effect,
        # They may read the commitment; they may not report on it.
        forbidden=(
            ("lead_of_secamb", "main", ("POST",)),
            ("staff_of_las", "main", ("POST",)),
            ("admin_of_southern", "main", ("POST",)),
        ),
        readers=("staff_of_las", "lead_of_secamb", "admin_of_southern"),
    ),
    Case(
        name="commitment_review",
        methods=("POST",),
        build=_scene_commitment_review,
        actor="admin_of_southern",
        data=lambda scene: {"decision": "accept", "reason": ""},
        effect=_review_effect,
        forbidden=(
            ("lead_of_las", "main", ("POST",)),
            ("staff_of_las", "main", ("POST",)),
            ("lead_of_secamb", "main", ("POST",)),
        ),
    ),
    Case(
        name="evidence",
        methods=("GET",),
        build=_scene_evidence,
        actor="staff_of_las",
        get_check=_evidence_check,
        readers=("lead_of_secamb", "admin_of_southern"),
    ),
    Case(
        name="trust_projects",
        methods=("GET",),
        build=_scene_trust_projects,
        actor="lead_of_las",
        shows="AI triage evaluation",
        hidden=(
            ("lead_of_yas", "main"),
            ("admin_of_northern", "main"),
            ("lead_of_secamb", "main"),  # another trust of the same collaboration
        ),
        readers=("staff_of_las", "admin_of_southern", "site_admin"),
    ),
]


# --- The tests (their bodies are the shared checks of tests/view_cases.py) ---------------------


@pytest.mark.parametrize("case", case_params(CASES))
def test_the_right_person_gets_the_page_and_the_action_takes_effect(client, request, case, scene):
    check_happy_path(client, request.getfixturevalue(case.actor), case, scene, db_state)


@pytest.mark.parametrize("case", case_params(CASES))
def test_a_method_the_view_does_not_answer_is_refused_with_405(client, request, case, scene):
    check_wrong_methods_refused(client, request.getfixturevalue(case.actor), case, scene, db_state)


@pytest.mark.parametrize(
    ("case", "persona", "key", "methods"), person_case_params(CASES, "forbidden")
)
def test_a_person_who_sees_it_but_may_not_do_it_gets_403(
    client, request, case, scene, persona, key, methods
):
    check_forbidden(client, request.getfixturevalue(persona), case, scene, key, methods, db_state)
    if "GET" in case.methods and "GET" not in methods:
        # Refused the change, but allowed to read: the object is visible to them.
        assert client.get(scene.urls[key]).status_code == 200


@pytest.mark.parametrize(("case", "persona", "key"), person_case_params(CASES, "hidden"))
def test_another_tenant_or_a_hidden_draft_answers_404(client, request, case, scene, persona, key):
    secret = scene.project.title if scene.project is not None else None
    check_hidden(client, request.getfixturevalue(persona), case, scene, key, secret, db_state)


@pytest.mark.parametrize(("case", "persona"), persona_cases(CASES, "readers"))
def test_people_of_member_trusts_and_admins_can_read(client, request, case, scene, persona):
    check_reader(client, request.getfixturevalue(persona), case, scene)


@pytest.mark.parametrize("case", case_params(CASES))
def test_someone_signed_out_is_sent_to_sign_in(client, case, scene):
    check_signed_out(client, case, scene, db_state)


# --- The list: everyone gets it; what is on it depends on who asks -------------------------------


def _listed(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("projects:list"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_a_collaborations_projects_to_its_members_only(
    client, open_project, staff_of_las, lead_of_secamb, lead_of_yas, admin_of_northern
):
    assert open_project.title in _listed(client, staff_of_las)
    assert open_project.title in _listed(client, lead_of_secamb)
    assert open_project.title not in _listed(client, lead_of_yas)
    assert open_project.title not in _listed(client, admin_of_northern)


def test_the_list_shows_drafts_to_the_collaborations_admins_only(
    client, second_draft, admin_of_southern, staff_of_las, lead_of_las, admin_of_northern
):
    assert second_draft.title in _listed(client, admin_of_southern)
    assert second_draft.title not in _listed(client, staff_of_las)
    assert second_draft.title not in _listed(client, lead_of_las)
    assert second_draft.title not in _listed(client, admin_of_northern)


def test_a_draft_page_is_seen_by_the_collaborations_admins_and_site_admins(
    client, second_draft, admin_of_southern, site_admin
):
    for user in (admin_of_southern, site_admin):
        client.force_login(user)
        response = client.get(second_draft.get_absolute_url())
        assert response.status_code == 200
        assert second_draft.title in response.content.decode()


def test_a_new_project_in_another_collaboration_is_not_created(
    client, admin_of_northern, southern, las
):
    client.force_login(admin_of_northern)
    response = client.post(
        reverse("projects:new", args=[southern.slug]), terms_data(lead_trust=str(las.pk))
    )
    assert response.status_code == 404
    assert not JointProject.objects.exists()


def test_a_project_that_does_not_exist_answers_like_another_tenants(client, staff_of_las):
    client.force_login(staff_of_las)
    assert client.get(reverse("projects:detail", args=["no-such-project"])).status_code == 404


def test_a_kind_of_benefit_that_does_not_exist_answers_404(client, open_project, lead_of_las):
    client.force_login(lead_of_las)
    url = reverse("projects:benefit", args=[open_project.slug, "las", "imagined"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"staff_hours_released": "1", "money_saved": "1"}).status_code == 404
    assert not Benefit.objects.exists()


def test_a_request_is_decided_only_through_its_own_kind(client, admin_of_southern, request):
    """A withdrawal request's id on the late-join URL answers 404, not someone else's row."""
    scene = _scene_withdrawal_decide(request.getfixturevalue)
    client.force_login(admin_of_southern)
    url = reverse("projects:late_join_decide", args=[scene.objects["request"].public_id])
    assert client.get(url).status_code == 404


def test_evidence_of_an_update_without_a_file_answers_404(client, active_project, lead_of_las):
    commitment = _las_commitment(active_project)
    update = commitment_update(
        commitment=commitment,
        actor=lead_of_las,
        status=CommitmentStatus.IN_PROGRESS,
        note="Started.",
    )
    client.force_login(lead_of_las)
    assert client.get(reverse("projects:evidence", args=[update.public_id])).status_code == 404
    assert CommitmentUpdate.objects.count() == 1


def test_a_milestone_is_reached_only_through_its_own_project(
    client, second_draft, draft_project, admin_of_southern
):
    """Another project's milestone id under this project's slug answers 404 and changes nothing."""
    other = draft_project.milestones.first()
    client.force_login(admin_of_southern)
    before = db_state()
    edit = reverse("projects:milestone_edit", args=[second_draft.slug, other.public_id])
    remove = reverse("projects:milestone_remove", args=[second_draft.slug, other.public_id])
    assert client.get(edit).status_code == 404
    assert client.post(remove).status_code == 404
    assert db_state() == before
