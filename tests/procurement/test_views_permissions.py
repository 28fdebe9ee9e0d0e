"""Every view of joint procurement against every kind of person (convention 11).

For each view in procurement/urls.py: the happy path (the right person, the right method, and
its effect in the database), the wrong method (405), a person who can see the round but may not
do this (403), a person of another tenant (404, exactly like a round that does not exist), and
someone signed out (sent to sign in). Every refusal leaves every table the procurement services
write exactly as it was.

The rules, from the issue: programme admins of the project's collaboration run the round, edit
the specification's draft and decide variations and changes; the lead of a participating trust
enters, varies, confirms and asks to change that trust's order; everyone whose home trust is
committed to the project reads the whole round (it is a joint purchase); anyone else gets 404.
A round whose specification is still a draft, and any draft version, are for its admins only.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from collab.models import Role
from procurement.models import (
    DecisionStatus,
    LineItem,
    ProcurementRound,
    RequirementChangeRequest,
    RequirementStatus,
    RoundStatus,
    TrustRequirement,
    VariationRequest,
    VersionStatus,
)
from procurement.services import change_request_create
from projects.models import Category, FundingModel, Participation, ParticipationStatus
from projects.services import project_create
from tests.factories import RoleFactory, UserFactory
from tests.procurement.conftest import days, write_version
from tests.procurement.service_helpers import db_state, events_for
from tests.view_cases import (
    case_params,
    check_forbidden,
    check_happy_path,
    check_hidden,
    check_reader,
    check_signed_out,
    check_wrong_methods_refused,
    content,
    person_case_params,
    persona_cases,
)

# The scenes ask for their fixtures lazily: the mark tells pytest-django to set up the database
# even when only those tests are selected.
pytestmark = pytest.mark.django_db

GP = ("GET", "POST")
ROUND_TITLE = "Double-crewed ambulances 2027 to 2030"


# --- Fixtures of this module -------------------------------------------------------------------


@pytest.fixture
def other_draft_round(vehicle_project, admin_of_southern):
    """A second round on the same project whose specification is still a draft: its admins
    see it; the participating trusts do not, yet."""
    round_ = ProcurementRound.objects.create(
        slug="rrv-2028",
        project=vehicle_project,
        title="Rapid response vehicles 2028",
        description="Cars for paramedics responding alone.",
        closing_date=days(40),
        first_delivery_year=2028,
        delivery_years=2,
        created_by=admin_of_southern,
    )
    write_version(round_, 1, admin_of_southern, published=False)
    return round_


@pytest.fixture
def draft_v2(open_round, admin_of_southern):
    """Version 2 of the open round, a draft copied from version 1."""
    return write_version(open_round, 2, admin_of_southern, published=False)


@pytest.fixture
def published_v2(open_round, admin_of_southern):
    """Version 2 published: BV-02 dearer, EL-02 gone, a new CM-01."""
    items = [
        ("BV-01", "Base vehicle and chassis", "Panel van, 4.25 t gross", "mandatory", "each",
         "1", "48000.00"),
        ("BV-02", "Base vehicle and chassis", "Automatic gearbox", "mandatory", "each", "1",
         "2750.00"),
        ("EL-01", "Electrical and lighting", "LED scene lighting, each side", "mandatory",
         "each", "4", "350.00"),
        ("ST-01", "Stretcher and loading", "Powered stretcher and loading system", "mandatory",
         "set", "1", "21000.00"),
        ("CM-01", "Communications and IT", "Airwave vehicle radio", "mandatory", "each", "1",
         "3200.00"),
    ]  # fmt: skip
    return write_version(open_round, 2, admin_of_southern, items=items)


@pytest.fixture
def las_change(confirmed_las_order, lead_of_las):
    return change_request_create(
        requirement=confirmed_las_order,
        actor=lead_of_las,
        quantities={2027: 5, 2028: 3, 2029: 2},
        optional_references=["EL-02"],
        reason="A fifth vehicle for the new Croydon station.",
    )


# --- The table ---------------------------------------------------------------------------------


@dataclass
class Scene:
    """What one case is about: its URLs (by key; "main" is the one under test), the round whose
    title must never leak to another tenant, and the objects its checks look at."""

    fx: Callable[[str], Any]
    urls: dict[str, str]
    round: ProcurementRound | None = None
    objects: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.urls["main"]

    @property
    def secret(self) -> str:
        """What another tenant must never read: the round's title, or the project's."""
        return self.round.title if self.round else self.objects["project"].title

    @property
    def readable_url(self) -> str:
        """Where a person refused an action (403) can still read what it is about."""
        return (self.round or self.objects["project"]).get_absolute_url()


def _url(name: str, round_: ProcurementRound, *args) -> str:
    return reverse(f"procurement:{name}", args=[round_.slug, *args])


def _round_scene(name: str, *fixtures: str, query: str = ""):
    """A view of the open round (after setting up `fixtures`); "draft" is the same view of a
    round its admins have not published yet."""

    def build(fx):
        round_ = fx("open_round")
        objects = {name: fx(name) for name in fixtures}
        draft = fx("other_draft_round")
        return Scene(
            fx,
            {"main": _url(name, round_) + query, "draft": _url(name, draft) + query},
            round_,
            objects | {"draft_round": draft},
        )

    return build


def _scene_list(fx):
    round_, draft = fx("open_round"), fx("other_draft_round")
    return Scene(fx, {"main": reverse("procurement:rounds")}, round_, {"draft_round": draft})


def _scene_new(fx):
    project = fx("vehicle_project")
    return Scene(
        fx,
        {"main": reverse("procurement:round_new", args=[project.slug])},
        objects={"project": project},
    )


def _scene_spec_with_draft(fx):
    round_, draft = fx("open_round"), fx("draft_v2")
    return Scene(
        fx,
        {
            "main": _url("specification", round_),
            "version2": _url("specification", round_) + "?version=2",
            "draft": _url("specification", fx("other_draft_round")),
        },
        round_,
        {"draft": draft},
    )


def _draft_scene(name: str, *args: str):
    """A view of the open round's draft version 2."""

    def build(fx):
        round_, draft = fx("open_round"), fx("draft_v2")
        return Scene(fx, {"main": _url(name, round_, *args)}, round_, {"draft": draft})

    return build


def _trust_scene(name: str, trust: str, *fixtures: str):
    """A view of a trust's order: "main" is `trust`'s; "las", "secamb" and "yas" (a trust of
    another collaboration, outside the project) are the same view for those trusts."""

    def build(fx):
        round_ = fx("open_round")
        fx("yas")
        objects = {name: fx(name) for name in fixtures}
        urls = {"main": _url(name, round_, trust)}
        urls |= {slug: _url(name, round_, slug) for slug in ("las", "secamb", "yas")}
        return Scene(fx, urls, round_, objects)

    return build


def _variation_scene(name: str):
    def build(fx):
        round_, variation = fx("open_round"), fx("las_variation")
        return Scene(
            fx, {"main": _url(name, round_, variation.public_id)}, round_, {"variation": variation}
        )

    return build


def _scene_change_decide(fx):
    round_, change = fx("open_round"), fx("las_change")
    return Scene(
        fx, {"main": _url("change_decide", round_, change.public_id)}, round_, {"change": change}
    )


def _scene_changes(fx):
    round_ = fx("open_round")
    fx("published_v2")
    return Scene(fx, {"main": _url("specification_changes", round_)}, round_)


# --- What the happy path posts, and what it must change -----------------------------------------


def _round_data(**overrides) -> dict[str, str]:
    return {
        "title": "Bariatric ambulances 2028",
        "description": "Vehicles for bariatric patients, bought together.",
        "closing_date": days(45).isoformat(),
        "first_delivery_year": "2028",
        "delivery_years": "2",
    } | overrides


def _new_effect(scene, response):
    round_ = ProcurementRound.objects.get(title="Bariatric ambulances 2028")
    assert response.url == reverse("procurement:specification_edit", args=[round_.slug])
    assert round_.project == scene.fx("vehicle_project")
    assert round_.status == RoundStatus.DRAFT
    assert (round_.first_delivery_year, round_.delivery_years) == (2028, 2)
    assert round_.versions.get().is_draft
    assert len(events_for(round_, "procurement.round_created")) == 1


def _edit_effect(scene, response):
    round_ = scene.round
    assert response.url == round_.get_absolute_url()
    round_.refresh_from_db()
    assert round_.title == "Double-crewed ambulances, second wave"
    assert round_.closing_date == days(50)


def _close_effect(scene, response):
    round_ = scene.round
    assert response.url == round_.get_absolute_url()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED


def _editor_url(scene) -> str:
    return reverse("procurement:specification_edit", args=[scene.round.slug])


def _section_add_effect(scene, response):
    assert response.url == _editor_url(scene)
    draft = scene.objects["draft"]
    assert draft.sections.filter(title="Infection prevention and control").exists()
    assert (
        not scene.round.versions.get(number=1)
        .sections.filter(title="Infection prevention and control")
        .exists()
    )


def _item_data(scene, **overrides) -> dict[str, str]:
    section = scene.objects["draft"].sections.get(title="Electrical and lighting")
    return {
        "section": str(section.pk),
        "reference": "EL-03",
        "requirement": "Rear reversing camera",
        "kind": "mandatory",
        "unit": "each",
        "quantity_per_vehicle": "1",
        "estimated_unit_cost": "450.00",
    } | overrides


def _item_new_effect(scene, response):
    assert response.url == _editor_url(scene)
    item = LineItem.objects.get(version=scene.objects["draft"], reference="EL-03")
    assert (item.requirement, item.estimated_unit_cost) == (
        "Rear reversing camera",
        Decimal("450.00"),
    )
    assert not LineItem.objects.filter(version__number=1, reference="EL-03").exists()


def _item_edit_data(scene):
    return _item_data(
        scene,
        section=str(scene.objects["draft"].sections.get(title="Base vehicle and chassis").pk),
        reference="BV-02",
        requirement="Automatic gearbox, eight speeds",
        estimated_unit_cost="2750.00",
    )


def _item_edit_effect(scene, response):
    assert response.url == _editor_url(scene)
    item = LineItem.objects.get(version=scene.objects["draft"], reference="BV-02")
    assert (item.requirement, item.estimated_unit_cost) == (
        "Automatic gearbox, eight speeds",
        Decimal("2750.00"),
    )
    first = LineItem.objects.get(version__number=1, version__round=scene.round, reference="BV-02")
    assert first.estimated_unit_cost == Decimal("2500.00")


def _item_remove_effect(scene, response):
    assert response.url == _editor_url(scene)
    assert not LineItem.objects.filter(version=scene.objects["draft"], reference="BV-02").exists()
    assert LineItem.objects.filter(version__number=1, reference="BV-02").exists()


def _publish_effect(scene, response):
    assert response.url == reverse("procurement:specification", args=[scene.round.slug])
    draft = scene.objects["draft"]
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    assert draft.change_summary == "Brighter scene lighting."
    assert draft.published_by == scene.fx("admin_of_southern")


def _start_draft_effect(scene, response):
    assert response.url == _editor_url(scene)
    draft = scene.round.versions.get(number=2)
    assert draft.is_draft
    assert draft.line_items.count() == 5


def _requirement_data(**overrides) -> dict:
    return {
        "units_2027": "4",
        "units_2028": "3",
        "units_2029": "2",
        "optional_references": ["EL-02"],
    } | overrides


def _requirement_edit_effect(scene, response):
    assert response.url == reverse("procurement:requirement", args=[scene.round.slug, "las"])
    requirement = TrustRequirement.objects.get(round=scene.round, trust__slug="las")
    assert dict(requirement.quantities.values_list("year", "units")) == {
        2027: 4,
        2028: 3,
        2029: 2,
    }
    assert requirement.optional_references == ["EL-02"]
    assert requirement.updated_by == scene.fx("lead_of_las")
    assert not TrustRequirement.objects.filter(trust__slug="secamb").exists()


def _confirm_effect(scene, response):
    requirement = scene.objects["las_order"]
    assert response.url == requirement.get_absolute_url()
    requirement.refresh_from_db()
    assert requirement.status == RequirementStatus.CONFIRMED
    assert requirement.confirmed_by == scene.fx("lead_of_las")


def _variation_data(scene) -> dict[str, str]:
    return {
        "reference": "ST-01",
        "instead": "A tracked stair chair as well as the stretcher",
        "reason": "Many of our patients live in flats without lifts.",
        "cost_difference_per_vehicle": "1200.00",
    }


def _variation_new_effect(scene, response):
    requirement = scene.objects["las_order"]
    assert response.url == requirement.get_absolute_url()
    variation = VariationRequest.objects.get(requirement=requirement)
    assert (variation.reference, variation.status) == ("ST-01", DecisionStatus.PENDING)
    assert variation.cost_difference_per_vehicle == Decimal("1200.00")
    assert variation.requested_by == scene.fx("lead_of_las")


def _withdraw_effect(scene, response):
    variation = scene.objects["variation"]
    assert response.url == variation.requirement.get_absolute_url()
    variation.refresh_from_db()
    assert variation.status == DecisionStatus.WITHDRAWN


def _decision(scene) -> dict[str, str]:
    return {"decision": "approve", "reason": "Agreed at the programme board."}


def _variation_decide_effect(scene, response):
    variation = scene.objects["variation"]
    assert response.url == scene.round.get_absolute_url()
    variation.refresh_from_db()
    assert variation.status == DecisionStatus.APPROVED
    assert variation.decided_by == scene.fx("admin_of_southern")
    assert variation.decision_reason == "Agreed at the programme board."


def _change_new_data(scene) -> dict:
    return _requirement_data(units_2027="6", reason="Two more vehicles for the new station.")


def _change_new_effect(scene, response):
    requirement = scene.objects["confirmed_las_order"]
    assert response.url == requirement.get_absolute_url()
    change = RequirementChangeRequest.objects.get(requirement=requirement)
    assert change.status == DecisionStatus.PENDING
    assert change.reason == "Two more vehicles for the new station."
    # The order stands as confirmed until the admins decide.
    assert dict(requirement.quantities.values_list("year", "units"))[2027] == 4


def _change_decide_effect(scene, response):
    change = scene.objects["change"]
    assert response.url == scene.round.get_absolute_url()
    change.refresh_from_db()
    assert change.status == DecisionStatus.APPROVED
    assert dict(change.requirement.quantities.values_list("year", "units"))[2027] == 5


def _csv_check(scene, response):
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]


def _spec_csv_check(scene, response):
    _csv_check(scene, response)
    assert "Panel van, 4.25 t gross" in content(response).decode("utf-8-sig")


def _xlsx_check(scene, response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert content(response)[:2] == b"PK"


def _demand_check(scene, response):
    _csv_check(scene, response)
    assert "London Ambulance Service NHS Trust" in content(response).decode("utf-8-sig")


def _ocds_check(scene, response):
    package = json.loads(content(response))
    (release,) = package["releases"]
    assert release["tag"] == ["planning"]
    assert release["tender"]["status"] == "planned"


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
    # (persona, url key, methods refused): may see the round, may not do this -> 403
    forbidden: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    # (persona, url key): another tenant, or a draft they may not see -> 404
    hidden: tuple[tuple[str, str], ...] = (("lead_of_yas", "main"), ("admin_of_northern", "main"))
    # more people who may read the page (GET -> 200)
    readers: tuple[str, ...] = ()


TENANTS = (("lead_of_yas", "main"), ("admin_of_northern", "main"))
# A round not yet published is for its admins only.
DRAFT_ROUND_HIDDEN = (
    *TENANTS,
    ("staff_of_las", "draft"),
    ("lead_of_las", "draft"),
    ("lead_of_yas", "draft"),
)
READERS = ("lead_of_las", "lead_of_secamb", "admin_of_southern", "site_admin")
# A trust's own actions: its staff, another trust's lead and the programme admins see the
# order but may not act for the trust; LAS's lead may not act for SECAmb.
NOT_FOR_LAS = (
    ("staff_of_las", "main", GP),
    ("lead_of_secamb", "main", GP),
    ("admin_of_southern", "main", GP),
    ("lead_of_las", "secamb", GP),
)
TRUST_HIDDEN = (*TENANTS, ("lead_of_las", "yas"))
ADMINS_ONLY = (
    ("lead_of_las", "main", GP),
    ("lead_of_secamb", "main", GP),
    ("staff_of_las", "main", GP),
)
ADMINS_ONLY_POST = tuple((p, k, ("POST",)) for p, k, _ in ADMINS_ONLY)

CASES = [
    Case(
        name="rounds",
        methods=("GET",),
        build=_scene_list,
        actor="staff_of_las",
        shows=ROUND_TITLE,
        hidden=(),  # the list answers everyone; what it lists is tested below
        readers=READERS,
    ),
    Case(
        name="round_new",
        methods=GP,
        build=_scene_new,
        actor="admin_of_southern",
        shows="Start a procurement round",
        data=lambda scene: _round_data(),
        effect=_new_effect,
        forbidden=(("lead_of_las", "main", GP), ("staff_of_las", "main", GP)),
    ),
    Case(
        name="round",
        methods=("GET",),
        build=_round_scene("round"),
        actor="staff_of_las",
        shows=ROUND_TITLE,
        hidden=DRAFT_ROUND_HIDDEN,
        readers=READERS,
    ),
    Case(
        name="round_edit",
        methods=GP,
        build=_round_scene("round_edit"),
        actor="admin_of_southern",
        shows=f'value="{ROUND_TITLE}"',
        data=lambda scene: {
            "title": "Double-crewed ambulances, second wave",
            "description": scene.round.description,
            "closing_date": days(50).isoformat(),
        },
        effect=_edit_effect,
        forbidden=(("lead_of_las", "main", GP), ("staff_of_las", "main", GP)),
        hidden=DRAFT_ROUND_HIDDEN,
    ),
    Case(
        name="round_close",
        methods=("POST",),
        build=_round_scene("round_close"),
        actor="admin_of_southern",
        effect=_close_effect,
        forbidden=(("lead_of_las", "main", ("POST",)), ("lead_of_secamb", "main", ("POST",))),
        hidden=DRAFT_ROUND_HIDDEN,
    ),
    Case(
        name="specification",
        methods=("GET",),
        build=_scene_spec_with_draft,
        actor="staff_of_las",
        shows="Panel van, 4.25 t gross",
        # Version 2 is a draft: it does not exist for the trusts.
        hidden=(
            *TENANTS,
            ("staff_of_las", "version2"),
            ("lead_of_las", "version2"),
            ("lead_of_secamb", "draft"),
        ),
        readers=READERS,
    ),
    Case(
        name="specification_edit",
        methods=("GET",),
        build=_draft_scene("specification_edit"),
        actor="admin_of_southern",
        shows="Edit the draft: version 2",
        forbidden=(("lead_of_las", "main", ("GET",)), ("staff_of_las", "main", ("GET",))),
    ),
    Case(
        name="section_add",
        methods=("POST",),
        build=_draft_scene("section_add"),
        actor="admin_of_southern",
        data=lambda scene: {"title": "Infection prevention and control"},
        effect=_section_add_effect,
        forbidden=(("lead_of_las", "main", ("POST",)), ("staff_of_las", "main", ("POST",))),
    ),
    Case(
        name="line_item_new",
        methods=GP,
        build=_draft_scene("line_item_new"),
        actor="admin_of_southern",
        shows="Add a line item",
        data=_item_data,
        effect=_item_new_effect,
        forbidden=(("lead_of_las", "main", GP), ("lead_of_secamb", "main", GP)),
    ),
    Case(
        name="line_item_edit",
        methods=GP,
        build=_draft_scene("line_item_edit", "BV-02"),
        actor="admin_of_southern",
        shows='value="BV-02"',
        data=_item_edit_data,
        effect=_item_edit_effect,
        forbidden=(("lead_of_las", "main", GP), ("staff_of_las", "main", GP)),
    ),
    Case(
        name="line_item_remove",
        methods=("POST",),
        build=_draft_scene("line_item_remove", "BV-02"),
        actor="admin_of_southern",
        effect=_item_remove_effect,
        forbidden=(("lead_of_las", "main", ("POST",)), ("staff_of_las", "main", ("POST",))),
    ),
    Case(
        name="version_publish",
        methods=GP,
        build=_draft_scene("version_publish"),
        actor="admin_of_southern",
        shows="Publish version 2",
        data=lambda scene: {"change_summary": "Brighter scene lighting."},
        effect=_publish_effect,
        forbidden=(("lead_of_las", "main", GP), ("staff_of_las", "main", GP)),
    ),
    Case(
        name="version_start_draft",
        methods=("POST",),
        build=_round_scene("version_start_draft"),
        actor="admin_of_southern",
        effect=_start_draft_effect,
        forbidden=(("lead_of_las", "main", ("POST",)), ("staff_of_las", "main", ("POST",))),
        hidden=DRAFT_ROUND_HIDDEN,
    ),
    Case(
        name="specification_changes",
        methods=("GET",),
        build=_scene_changes,
        actor="staff_of_las",
        shows="Airwave vehicle radio",
        readers=READERS,
    ),
    Case(
        name="requirement",
        methods=("GET",),
        build=_trust_scene("requirement", "las", "las_order"),
        actor="lead_of_las",
        shows="London Ambulance Service NHS Trust's order",
        hidden=TRUST_HIDDEN,
        readers=("staff_of_las", "lead_of_secamb", "admin_of_southern", "site_admin"),
    ),
    Case(
        name="requirement_edit",
        methods=GP,
        build=_trust_scene("requirement_edit", "las"),
        actor="lead_of_las",
        shows="Vehicles for delivery in 2027",
        data=lambda scene: _requirement_data(),
        effect=_requirement_edit_effect,
        forbidden=NOT_FOR_LAS,
        hidden=TRUST_HIDDEN,
    ),
    Case(
        name="requirement_confirm",
        methods=GP,
        build=_trust_scene("requirement_confirm", "las", "las_order"),
        actor="lead_of_las",
        shows="Confirm LAS's final order",
        data=lambda scene: {"confirmed": "on"},
        effect=_confirm_effect,
        forbidden=NOT_FOR_LAS,
        hidden=TRUST_HIDDEN,
    ),
    Case(
        name="variation_new",
        methods=GP,
        build=_trust_scene("variation_new", "las", "las_order"),
        actor="lead_of_las",
        shows="Ask for a variation",
        data=_variation_data,
        effect=_variation_new_effect,
        forbidden=NOT_FOR_LAS,
        hidden=TRUST_HIDDEN,
    ),
    Case(
        name="variation_withdraw",
        methods=("POST",),
        build=_variation_scene("variation_withdraw"),
        actor="lead_of_las",
        effect=_withdraw_effect,
        forbidden=(
            ("staff_of_las", "main", ("POST",)),
            ("lead_of_secamb", "main", ("POST",)),
            ("admin_of_southern", "main", ("POST",)),
        ),
    ),
    Case(
        name="variation_decide",
        methods=GP,
        build=_variation_scene("variation_decide"),
        actor="admin_of_southern",
        shows="Our rural stations attend more roadside incidents at night.",
        data=_decision,
        effect=_variation_decide_effect,
        forbidden=ADMINS_ONLY,
    ),
    Case(
        name="change_new",
        methods=GP,
        build=_trust_scene("change_new", "las", "confirmed_las_order"),
        actor="lead_of_las",
        shows="Why does your trust need to change its confirmed order?",
        data=_change_new_data,
        effect=_change_new_effect,
        forbidden=NOT_FOR_LAS,
        hidden=TRUST_HIDDEN,
    ),
    Case(
        name="change_decide",
        methods=GP,
        build=_scene_change_decide,
        actor="admin_of_southern",
        shows="A fifth vehicle for the new Croydon station.",
        data=_decision,
        effect=_change_decide_effect,
        forbidden=ADMINS_ONLY,
    ),
    Case(
        name="summary",
        methods=("GET",),
        build=_round_scene("summary", "las_order"),
        actor="staff_of_las",
        shows="Combined demand",
        hidden=DRAFT_ROUND_HIDDEN,
        readers=READERS,
    ),
    Case(
        name="specification_csv",
        methods=("GET",),
        build=_round_scene("specification_csv"),
        actor="staff_of_las",
        get_check=_spec_csv_check,
        hidden=DRAFT_ROUND_HIDDEN,
        readers=READERS,
    ),
    Case(
        name="specification_xlsx",
        methods=("GET",),
        build=_round_scene("specification_xlsx"),
        actor="staff_of_las",
        get_check=_xlsx_check,
        hidden=DRAFT_ROUND_HIDDEN,
        readers=READERS,
    ),
    Case(
        name="demand_csv",
        methods=("GET",),
        build=_round_scene("demand_csv", "las_order"),
        actor="staff_of_las",
        get_check=_demand_check,
        hidden=DRAFT_ROUND_HIDDEN,
        readers=READERS,
    ),
    Case(
        name="ocds_json",
        methods=("GET",),
        build=_round_scene("ocds_json", "las_order"),
        actor="staff_of_las",
        get_check=_ocds_check,
        hidden=DRAFT_ROUND_HIDDEN,
        readers=READERS,
    ),
]


def test_every_url_of_the_app_is_in_the_table():
    from procurement.urls import urlpatterns

    assert sorted(p.name for p in urlpatterns) == sorted(case.name for case in CASES)


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
def test_a_person_who_sees_the_round_but_may_not_do_it_gets_403(
    client, request, case, scene, persona, key, methods
):
    check_forbidden(client, request.getfixturevalue(persona), case, scene, key, methods, db_state)
    # They can read the round the action belongs to.
    assert client.get(scene.readable_url).status_code == 200


@pytest.mark.parametrize(("case", "persona", "key"), person_case_params(CASES, "hidden"))
def test_another_tenant_or_a_draft_answers_404(client, request, case, scene, persona, key):
    person = request.getfixturevalue(persona)
    check_hidden(client, person, case, scene, key, scene.secret, db_state)


@pytest.mark.parametrize(("case", "persona"), persona_cases(CASES, "readers"))
def test_people_of_participating_trusts_and_admins_can_read(client, request, case, scene, persona):
    check_reader(client, request.getfixturevalue(persona), case, scene)


@pytest.mark.parametrize("case", case_params(CASES))
def test_someone_signed_out_is_sent_to_sign_in(client, case, scene):
    check_signed_out(client, case, scene, db_state)


# --- The list and the project page: what is on them depends on who asks ------------------------


def _listed(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("procurement:rounds"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_a_round_to_its_participants_and_admins_only(
    client, open_round, staff_of_las, lead_of_secamb, admin_of_southern, lead_of_yas,
    admin_of_northern,
):  # fmt: skip
    assert ROUND_TITLE in _listed(client, staff_of_las)
    assert ROUND_TITLE in _listed(client, lead_of_secamb)
    assert ROUND_TITLE in _listed(client, admin_of_southern)
    assert ROUND_TITLE not in _listed(client, lead_of_yas)
    assert ROUND_TITLE not in _listed(client, admin_of_northern)


def test_the_list_shows_an_unpublished_round_to_its_admins_only(
    client, other_draft_round, admin_of_southern, staff_of_las, lead_of_las
):
    assert other_draft_round.title in _listed(client, admin_of_southern)
    assert other_draft_round.title not in _listed(client, staff_of_las)
    assert other_draft_round.title not in _listed(client, lead_of_las)


def test_a_trust_that_withdrew_from_the_project_sees_no_round(client, open_round, secamb):
    Participation.objects.filter(project=open_round.project, trust=secamb).update(
        status=ParticipationStatus.WITHDRAWN
    )
    lead = UserFactory(email="other.secamb@example.org", home_trust=secamb)
    RoleFactory(user=lead, role=Role.TRUST_LEAD, trust=secamb)
    client.force_login(lead)
    assert client.get(open_round.get_absolute_url()).status_code == 404
    url = reverse("procurement:requirement", args=[open_round.slug, "secamb"])
    assert client.get(url).status_code == 404


def test_the_project_page_lists_the_rounds_and_offers_admins_a_new_one(
    client, open_round, other_draft_round, admin_of_southern, staff_of_las
):
    project_url = open_round.project.get_absolute_url()
    new_url = reverse("procurement:round_new", args=[open_round.project.slug])
    client.force_login(admin_of_southern)
    html = client.get(project_url).content.decode()
    assert ROUND_TITLE in html and other_draft_round.title in html
    assert new_url in html
    client.force_login(staff_of_las)
    html = client.get(project_url).content.decode()
    assert ROUND_TITLE in html
    assert other_draft_round.title not in html
    assert new_url not in html


def test_a_round_is_started_only_on_a_vehicles_project(client, southern, secamb, admin_of_southern):
    project = project_create(
        collaboration=southern,
        actor=admin_of_southern,
        lead_trust=secamb,
        title="AI triage evaluation",
        summary="Evaluate AI-assisted triage of 999 calls.",
        category=Category.AI_AND_DIGITAL,
        terms="Each trust shares call data.",
        funding_model=FundingModel.EQUAL_SPLIT,
        total_budget=Decimal("120000.00"),
        staff_days_per_trust=20,
        decision_deadline=days(14),
        planned_start=days(21),
        planned_end=days(386),
    )
    client.force_login(admin_of_southern)
    url = reverse("procurement:round_new", args=[project.slug])
    assert client.get(url).status_code == 404
    assert client.post(url, _round_data()).status_code == 404
    assert not ProcurementRound.objects.exists()


def test_a_version_number_that_is_not_a_number_answers_404(client, open_round, staff_of_las):
    client.force_login(staff_of_las)
    url = reverse("procurement:specification", args=[open_round.slug])
    assert client.get(url + "?version=two").status_code == 404
    assert client.get(url + "?version=9").status_code == 404


def test_the_project_page_reads_its_rounds_in_one_query_however_many(
    client, open_round, admin_of_southern
):
    """The project page stays within its query bound (tests/projects/test_query_counts.py)
    on a vehicles project: its rounds are one query, whatever their number. Both reads miss
    the page cache (the factory's rounds are not audited, so nothing else would renew it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from collab.page_cache import new_generations

    client.force_login(admin_of_southern)
    project_url = open_round.project.get_absolute_url()
    client.get(project_url)  # warm the session
    new_generations()
    with CaptureQueriesContext(connection) as one:
        assert client.get(project_url).status_code == 200
    for n in range(5):
        ProcurementRound.objects.create(
            slug=f"extra-{n}",
            project=open_round.project,
            title=f"Extra round {n}",
            description="More vehicles.",
            status=RoundStatus.OPEN,
            closing_date=days(30),
            first_delivery_year=2027,
            created_by=admin_of_southern,
        )
    new_generations()
    with CaptureQueriesContext(connection) as six:
        html = client.get(project_url).content.decode()
    assert html.count("Extra round ") == 5
    assert len(six.captured_queries) == len(one.captured_queries)
