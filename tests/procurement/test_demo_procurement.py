"""The demo joint procurement: a Southern round for a common double-crewed ambulance, with two
published versions, five trusts' demand and variations in every state, loaded idempotently.

Expected values are written out here rather than read from procurement.demo_data, so that a
wrong constant there fails a test instead of agreeing with itself.
"""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from collab.audit import audit_context
from collab.models import AuditEvent, User
from procurement.models import (
    STANDARD_SECTIONS,
    DecisionStatus,
    ItemKind,
    LineItem,
    ProcurementRound,
    RequirementChangeRequest,
    RequirementStatus,
    RoundStatus,
    SpecificationSection,
    SpecificationVersion,
    TrustRequirement,
    VariationRequest,
    VersionStatus,
    YearQuantity,
)
from procurement.selectors import rounds_visible_to
from projects.models import Category, JointProject, ParticipationStatus, ProjectStatus

ROUND = "double-crewed-ambulance-van-conversion-2027-to-2030"
PROJECT = "joint-purchase-of-double-crewed-ambulances-2027-to-2030"
SOUTHERN_TRUSTS = {"SECAmb", "EEAST", "LAS", "SCAS", "SWASFT"}

COUNTED_MODELS = (
    JointProject,
    ProcurementRound,
    SpecificationVersion,
    SpecificationSection,
    LineItem,
    TrustRequirement,
    YearQuantity,
    VariationRequest,
    RequirementChangeRequest,
    AuditEvent,
)


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", "--quiet", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded() -> str:
    return _seed()


@pytest.fixture
def demo_round(seeded) -> ProcurementRound:
    return ProcurementRound.objects.select_related("project__collaboration").get(slug=ROUND)


def _requirements(round_: ProcurementRound) -> dict[str, TrustRequirement]:
    return {
        requirement.trust.short_name: requirement
        for requirement in round_.requirements.select_related("trust", "version")
    }


def _units(requirement: TrustRequirement) -> dict[int, int]:
    return dict(requirement.quantities.values_list("year", "units"))


def _cost_per_vehicle(version: SpecificationVersion, options=()) -> Decimal:
    return sum(
        (
            item.cost_per_vehicle
            for item in version.line_items.all()
            if item.kind == ItemKind.MANDATORY or item.reference in options
        ),
        Decimal("0"),
    )


@pytest.mark.django_db
def test_the_round_is_open_on_an_active_southern_vehicles_project(demo_round):
    project = demo_round.project
    assert project.slug == PROJECT
    assert project.collaboration.slug == "southern"
    assert project.category == Category.VEHICLES_AND_PROCUREMENT
    assert project.status == ProjectStatus.ACTIVE
    committed = set(
        project.participations.filter(status=ParticipationStatus.COMMITTED).values_list(
            "trust__short_name", flat=True
        )
    )
    assert committed == SOUTHERN_TRUSTS
    assert demo_round.status == RoundStatus.OPEN
    today = timezone.localdate()
    assert today + datetime.timedelta(days=14) <= demo_round.closing_date
    assert demo_round.closing_date <= today + datetime.timedelta(days=42)
    assert demo_round.years == [2027, 2028, 2029]
    assert "BS EN 1789" in demo_round.description


@pytest.mark.django_db
def test_the_specification_has_about_forty_items_in_every_standard_section(demo_round):
    versions = list(demo_round.versions.order_by("number"))
    assert [(v.number, v.status) for v in versions] == [
        (1, VersionStatus.PUBLISHED),
        (2, VersionStatus.PUBLISHED),
    ]
    version_1, version_2 = versions
    assert version_1.published_at < version_2.published_at
    assert version_1.change_summary == ""
    assert "MG-05" in version_2.change_summary and "CM-05" in version_2.change_summary
    for version in versions:
        items = list(version.line_items.select_related("section"))
        assert 38 <= len(items) <= 45
        assert {item.section.title for item in items} == set(STANDARD_SECTIONS)
        assert {item.kind for item in items} == {ItemKind.MANDATORY, ItemKind.OPTIONAL}
        assert all(item.estimated_unit_cost > 0 and item.quantity_per_vehicle > 0 for item in items)
        assert all(
            item.reference[:2] in {"BV", "CB", "ST", "EL", "MG", "CM", "LV"} for item in items
        )
        # A converted double-crewed ambulance costs about £130,000 to £160,000 all in.
        assert Decimal("130000") <= _cost_per_vehicle(version) <= Decimal("160000")


@pytest.mark.django_db
def test_version_2_changes_a_cost_adds_an_item_and_removes_one(demo_round):
    version_1, version_2 = demo_round.versions.order_by("number")
    before = {item.reference: item for item in version_1.line_items.all()}
    after = {item.reference: item for item in version_2.line_items.all()}
    assert set(after) - set(before) == {"MG-05"}
    assert set(before) - set(after) == {"CM-05"}
    assert before["CM-05"].kind == ItemKind.OPTIONAL
    assert before["BV-01"].estimated_unit_cost < after["BV-01"].estimated_unit_cost
    assert before["EL-07"].requirement != after["EL-07"].requirement
    unchanged = set(before) & set(after) - {"BV-01", "EL-07"}
    for reference in unchanged:
        assert (before[reference].requirement, before[reference].estimated_unit_cost) == (
            after[reference].requirement,
            after[reference].estimated_unit_cost,
        )


@pytest.mark.django_db
def test_five_southern_trusts_ordered_over_three_years(demo_round):
    requirements = _requirements(demo_round)
    assert set(requirements) == SOUTHERN_TRUSTS
    units = {trust: _units(requirement) for trust, requirement in requirements.items()}
    assert units["LAS"] == {2027: 58, 2028: 62, 2029: 60}
    # SCAS's approved change added two vehicles in 2029; SECAmb's is still waiting.
    assert units["SCAS"] == {2027: 28, 2028: 30, 2029: 32}
    assert units["SECAmb"] == {2027: 36, 2028: 40, 2029: 38}
    assert all(20 <= n <= 70 for trust_units in units.values() for n in trust_units.values())
    total = YearQuantity.objects.filter(requirement__round=demo_round).aggregate(t=Sum("units"))
    assert total["t"] == 661
    # The optional items chosen differ between trusts.
    options = {tuple(r.optional_references) for r in requirements.values()}
    assert len(options) == len(SOUTHERN_TRUSTS)


@pytest.mark.django_db
def test_one_trust_still_ordered_against_version_1(demo_round):
    requirements = _requirements(demo_round)
    versions = {trust: requirement.version.number for trust, requirement in requirements.items()}
    assert versions == {"EEAST": 1, "LAS": 2, "SCAS": 2, "SECAmb": 2, "SWASFT": 2}
    # It chose an optional item that version 2 removed.
    assert "CM-05" in requirements["EEAST"].optional_references
    assert all(
        "CM-05" not in r.optional_references for r in requirements.values() if r.version.number == 2
    )


@pytest.mark.django_db
def test_variations_are_in_every_state_with_reasons(demo_round):
    variations = VariationRequest.objects.filter(requirement__round=demo_round).select_related(
        "requirement__trust", "version"
    )
    by_status: dict[str, set[tuple[str, str]]] = {}
    for variation in variations:
        assert variation.instead and variation.reason
        by_status.setdefault(variation.status, set()).add(
            (variation.requirement.trust.short_name, variation.reference)
        )
        if variation.status in (DecisionStatus.APPROVED, DecisionStatus.REJECTED):
            assert variation.decision_reason and variation.decided_by and variation.decided_at
            assert variation.decided_at > variation.requested_at
        else:
            assert not variation.decision_reason
    assert set(by_status) == set(DecisionStatus.values)
    assert ("LAS", "ST-02") in by_status[DecisionStatus.APPROVED]
    assert ("SWASFT", "BV-02") in by_status[DecisionStatus.REJECTED]
    assert ("EEAST", "LV-01") in by_status[DecisionStatus.WITHDRAWN]
    assert ("LAS", "EL-07") in by_status[DecisionStatus.PENDING]
    # Variations were asked against both versions.
    assert set(variations.values_list("version__number", flat=True)) == {1, 2}
    # A variation can cost less than the common specification.
    assert variations.filter(cost_difference_per_vehicle__lt=0).exists()


@pytest.mark.django_db
def test_two_orders_are_confirmed_and_a_change_is_waiting(demo_round):
    requirements = _requirements(demo_round)
    confirmed = {
        trust for trust, r in requirements.items() if r.status == RequirementStatus.CONFIRMED
    }
    assert confirmed == {"SCAS", "SECAmb"}
    for trust in confirmed:
        requirement = requirements[trust]
        assert requirement.confirmed_by.leads_trust(requirement.trust)
        assert requirement.version.number == 2
        assert not requirement.variations.filter(status=DecisionStatus.PENDING).exists()
    changes = RequirementChangeRequest.objects.filter(requirement__round=demo_round)
    pending = changes.get(status=DecisionStatus.PENDING)
    assert pending.requirement.trust.short_name == "SECAmb"
    assert pending.quantities == {"2027": 36, "2028": 44, "2029": 38}
    assert pending.reason
    approved = changes.get(status=DecisionStatus.APPROVED)
    assert approved.requirement.trust.short_name == "SCAS"
    assert approved.decision_reason and approved.decided_by.email == "admin.southern@example.org"


@pytest.mark.django_db
def test_the_round_has_a_real_audit_trail(demo_round):
    actions = set(
        AuditEvent.objects.filter(context=audit_context(demo_round)).values_list(
            "action", flat=True
        )
    )
    assert {
        "procurement.round_created",
        "procurement.line_item_added",
        "procurement.line_item_changed",
        "procurement.line_item_removed",
        "procurement.version_published",
        "procurement.draft_started",
        "procurement.requirement_saved",
        "procurement.variation_requested",
        "procurement.variation_approved",
        "procurement.variation_rejected",
        "procurement.variation_withdrawn",
        "procurement.requirement_confirmed",
        "procurement.change_requested",
        "procurement.change_approved",
    } <= actions


@pytest.mark.django_db
def test_the_southern_trusts_see_the_round_and_the_northern_ones_do_not(demo_round):
    expected = {
        "admin.southern@example.org": True,
        "lead.las@example.org": True,
        "lead.swasft@example.org": True,
        "staff.las@example.org": True,
        "siteadmin@example.org": True,
        "admin.northern@example.org": False,
        "lead.yas@example.org": False,
    }
    sees_it = {
        email: rounds_visible_to(User.objects.get(email=email)).filter(pk=demo_round.pk).exists()
        for email in expected
    }
    assert sees_it == expected


@pytest.mark.django_db
def test_seeding_again_changes_nothing(seeded):
    before = {model.__name__: model.objects.count() for model in COUNTED_MODELS}
    assert before["ProcurementRound"] == 1
    assert before["SpecificationVersion"] == 2
    assert before["TrustRequirement"] == 5
    output = _seed()
    assert {model.__name__: model.objects.count() for model in COUNTED_MODELS} == before
    assert "Demo procurement rounds: 1" in output
    assert "5 trusts, 661 vehicles, 2 confirmed" in output
