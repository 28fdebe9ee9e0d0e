"""Who sees which round, and the reads the procurement pages are built from."""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from procurement.models import (
    DecisionStatus,
    ProcurementRound,
    RequirementChangeRequest,
    RoundStatus,
)
from procurement.selectors import (
    change_requests_waiting,
    current_version,
    draft_version,
    get_change_request,
    get_requirement,
    get_round_for_user,
    get_variation,
    get_version,
    participating_trusts,
    published_versions,
    rounds_visible_to,
    sections_with_items,
    variations_waiting,
)
from projects.models import Participation, ParticipationStatus
from tests.procurement.conftest import FIRST_SPECIFICATION, days, write_version
from tests.procurement.demand_builders import known_demand, make_requirement, make_variation


@pytest.fixture
def second_round(vehicle_project, admin_of_southern):
    """Another open round of the same project, to prove reads stay inside their round."""
    round_ = ProcurementRound.objects.create(
        slug="rrv-2028",
        project=vehicle_project,
        title="Rapid response vehicles 2028",
        description="Cars for paramedics working alone.",
        status=RoundStatus.OPEN,
        closing_date=days(40),
        first_delivery_year=2028,
        created_by=admin_of_southern,
    )
    write_version(round_, 1, admin_of_southern)
    return round_


# --- Who sees a round ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["site_admin", "admin_of_southern", "lead_of_las", "staff_of_las", "lead_of_secamb"]
)
def test_participants_and_admins_see_an_open_round(request, open_round, persona):
    user = request.getfixturevalue(persona)

    assert list(rounds_visible_to(user)) == [open_round]
    assert get_round_for_user(user, open_round.slug) == open_round


@pytest.mark.parametrize("persona", ["lead_of_yas", "admin_of_northern"])
def test_people_of_another_collaboration_get_a_404(request, open_round, persona):
    user = request.getfixturevalue(persona)

    assert list(rounds_visible_to(user)) == []
    with pytest.raises(Http404):
        get_round_for_user(user, open_round.slug)


def test_nobody_signed_in_sees_anything(open_round):
    assert list(rounds_visible_to(AnonymousUser())) == []


@pytest.mark.parametrize("persona", ["site_admin", "admin_of_southern"])
def test_a_draft_round_is_seen_by_admins(request, draft_round, persona):
    user = request.getfixturevalue(persona)

    assert get_round_for_user(user, draft_round.slug) == draft_round


@pytest.mark.parametrize("persona", ["lead_of_las", "staff_of_las", "lead_of_yas"])
def test_a_draft_round_is_a_404_to_everyone_else(request, draft_round, persona):
    user = request.getfixturevalue(persona)

    assert list(rounds_visible_to(user)) == []
    with pytest.raises(Http404):
        get_round_for_user(user, draft_round.slug)


@pytest.mark.parametrize(
    "status",
    [ParticipationStatus.WITHDRAWN, ParticipationStatus.OPTED_OUT, ParticipationStatus.NOT_JOINED],
)
def test_a_trust_that_is_not_committed_sees_nothing(
    open_round, vehicle_project, las, lead_of_las, staff_of_las, status
):
    Participation.objects.filter(project=vehicle_project, trust=las).update(status=status)

    for user in (lead_of_las, staff_of_las):
        assert list(rounds_visible_to(user)) == []
        with pytest.raises(Http404):
            get_round_for_user(user, open_round.slug)


def test_an_unknown_slug_is_a_404(open_round, site_admin):
    with pytest.raises(Http404):
        get_round_for_user(site_admin, "no-such-round")


def test_the_round_comes_with_its_project_and_collaboration(open_round, lead_of_las):
    round_ = get_round_for_user(lead_of_las, open_round.slug)

    with CaptureQueriesContext(connection) as queries:
        assert round_.project.collaboration.slug == "southern"
        assert round_.project.lead_trust.short_name == "SECAmb"
    assert len(queries) == 0


# --- Versions --------------------------------------------------------------------------------


def test_the_current_version_is_the_latest_published_one(open_round, admin_of_southern):
    write_version(open_round, 2, admin_of_southern)
    write_version(open_round, 3, admin_of_southern, published=False)

    assert current_version(open_round).number == 2
    assert draft_version(open_round).number == 3
    assert [v.number for v in published_versions(open_round)] == [1, 2]


def test_a_draft_round_has_no_current_version(draft_round):
    assert current_version(draft_round) is None
    assert draft_version(draft_round).number == 1


def test_an_open_round_with_nothing_being_edited_has_no_draft(open_round):
    assert draft_version(open_round) is None


def test_a_draft_version_is_found_only_when_asked_for(open_round, admin_of_southern):
    write_version(open_round, 2, admin_of_southern, published=False)

    assert get_version(open_round, 1).number == 1
    assert get_version(open_round, 2, include_draft=True).is_draft
    with pytest.raises(Http404):
        get_version(open_round, 2)
    with pytest.raises(Http404):
        get_version(open_round, 7, include_draft=True)


def test_sections_come_in_order_with_their_items_in_two_queries(open_round):
    version = current_version(open_round)

    with CaptureQueriesContext(connection) as queries:
        sections = sections_with_items(version)
        listed = [
            (section.title, [item.reference for item in section.line_items.all()])
            for section in sections
        ]
    assert len(queries) == 2
    assert listed == [
        ("Base vehicle and chassis", ["BV-01", "BV-02"]),
        ("Electrical and lighting", ["EL-01", "EL-02"]),
        ("Stretcher and loading", ["ST-01"]),
    ]
    assert sum(len(items) for _, items in listed) == len(FIRST_SPECIFICATION)


# --- Trusts, requirements and requests ---------------------------------------------------------


def test_participating_trusts_are_the_committed_ones(open_round, vehicle_project, las, secamb):
    assert participating_trusts(open_round) == [las, secamb]

    Participation.objects.filter(project=vehicle_project, trust=secamb).update(
        status=ParticipationStatus.WITHDRAWN
    )

    assert participating_trusts(open_round) == [las]


def test_a_trust_with_no_order_has_no_requirement(open_round, las):
    assert get_requirement(open_round, las) is None


def test_a_requirement_comes_with_its_quantities_and_variations(
    open_round, las, secamb, lead_of_las, lead_of_secamb, admin_of_southern
):
    known_demand(open_round, las, secamb, lead_of_las, lead_of_secamb, admin_of_southern)

    requirement = get_requirement(open_round, las)

    with CaptureQueriesContext(connection) as queries:
        assert [(q.year, q.units) for q in requirement.quantities.all()] == [
            (2027, 4),
            (2028, 5),
            (2029, 6),
        ]
        assert sorted(
            (v.reference, v.status, v.decided_by.email) for v in requirement.variations.all()
        ) == [
            ("BV-02", DecisionStatus.REJECTED, "admin.southern@example.org"),
            ("ST-01", DecisionStatus.APPROVED, "admin.southern@example.org"),
        ]
        assert requirement.version.number == 1
        assert requirement.trust.short_name == "LAS"
    assert len(queries) == 0


def test_the_admins_queues_hold_what_waits_in_this_round_only(
    open_round, second_round, las, secamb, lead_of_las, lead_of_secamb, admin_of_southern
):
    demand = known_demand(open_round, las, secamb, lead_of_las, lead_of_secamb, admin_of_southern)
    elsewhere = make_requirement(second_round, las, lead_of_las, [1, 1, 1])
    make_variation(elsewhere, "EL-01", "50.00", DecisionStatus.PENDING, lead_of_las)
    change = RequirementChangeRequest.objects.create(
        requirement=demand.las,
        quantities={"2027": 5, "2028": 5, "2029": 5},
        optional_references=["EL-02"],
        reason="Our board approved one more vehicle.",
        requested_by=lead_of_las,
    )
    RequirementChangeRequest.objects.create(
        requirement=demand.secamb,
        quantities={"2027": 1},
        reason="Withdrawn idea.",
        requested_by=lead_of_secamb,
        status=DecisionStatus.REJECTED,
    )
    RequirementChangeRequest.objects.create(
        requirement=elsewhere, quantities={"2028": 2}, reason="More.", requested_by=lead_of_las
    )

    assert list(variations_waiting(open_round)) == [demand.pending]
    assert list(change_requests_waiting(open_round)) == [change]


def test_a_variation_or_change_is_found_in_its_own_round_only(
    open_round, second_round, las, secamb, lead_of_las, lead_of_secamb, admin_of_southern
):
    demand = known_demand(open_round, las, secamb, lead_of_las, lead_of_secamb, admin_of_southern)
    change = RequirementChangeRequest.objects.create(
        requirement=demand.las, quantities={"2027": 5}, reason="More.", requested_by=lead_of_las
    )

    assert get_variation(open_round, demand.pending.public_id) == demand.pending
    assert get_change_request(open_round, change.public_id) == change
    with pytest.raises(Http404):
        get_variation(second_round, demand.pending.public_id)
    with pytest.raises(Http404):
        get_change_request(second_round, change.public_id)
    with pytest.raises(Http404):
        get_variation(open_round, uuid.uuid4())
