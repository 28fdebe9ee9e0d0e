"""A trust's demand: only committed trusts, the round's years, whole units, optional items of the
current version; confirmed as a binding order; changed after that only by a decided request."""

import datetime

import pytest
from django.utils import timezone

from procurement.models import (
    DecisionStatus,
    ProcurementRound,
    RequirementChangeRequest,
    RequirementStatus,
    RoundStatus,
    TrustRequirement,
    YearQuantity,
)
from procurement.services import (
    change_request_create,
    change_request_decide,
    line_item_remove,
    requirement_confirm,
    requirement_save,
    variation_withdraw,
)
from tests.procurement.service_helpers import (
    LAS_UNITS,
    events_for,
    publish_second_version,
    refused,
    units_of,
)

pytestmark = pytest.mark.django_db


def _save(round_, trust, actor, quantities=None, optional_references=()):
    return requirement_save(
        round=round_,
        trust=trust,
        actor=actor,
        quantities=LAS_UNITS if quantities is None else quantities,
        optional_references=list(optional_references),
    )


# --- Entering demand --------------------------------------------------------------------------


def test_a_committed_trust_enters_its_units_by_year_and_optional_items(
    open_round, las, lead_of_las
):
    requirement = _save(open_round, las, lead_of_las, optional_references=["EL-02", "EL-02 "])

    assert units_of(requirement) == {2027: 4, 2028: 3, 2029: 2}
    assert requirement.optional_references == ["EL-02"]
    assert requirement.version == open_round.versions.get(number=1)
    assert (requirement.status, requirement.updated_by) == (RequirementStatus.DRAFT, lead_of_las)
    [event] = events_for(requirement, "procurement.requirement_saved")
    assert (event.actor, event.trust, event.before) == (lead_of_las, las, None)
    assert event.after == {
        "version": 1,
        "status": "draft",
        "quantities": {"2027": 4, "2028": 3, "2029": 2},
        "optional_references": ["EL-02"],
    }


def test_saving_again_replaces_the_units_with_no_year_left_over(
    las_order, open_round, las, lead_of_las
):
    again = _save(open_round, las, lead_of_las, quantities={2028: 6})

    assert again.pk == las_order.pk
    assert units_of(las_order) == {2028: 6}
    assert YearQuantity.objects.count() == 1
    assert again.optional_references == []
    assert TrustRequirement.objects.count() == 1


def test_a_trust_outside_the_project_cannot_order(open_round, yas, lead_of_yas):
    with refused(match="YAS is not committed to the project this round belongs to"):
        _save(open_round, yas, lead_of_yas)


def test_a_trust_that_did_not_join_the_project_cannot_order(
    open_round, not_joined_trust, admin_of_southern
):
    with refused(match="SCAS is not committed to the project"):
        _save(open_round, not_joined_trust, admin_of_southern)


@pytest.mark.parametrize(
    ("quantities", "message"),
    [
        ({2026: 1}, "2026 is not one of its years"),
        ({2030: 1}, "2030 is not one of its years"),
        ({2027: -1}, "The units for 2027 cannot be below 0."),
        ({2027: 2.5}, "Enter the units for 2027 as a whole number"),
        ({2027: "3"}, "Enter the units for 2027 as a whole number"),
        ({2027: True}, "Enter the units for 2027 as a whole number"),
        ({2027: 10_001}, "more than a trust can order"),
    ],
)
def test_units_are_whole_numbers_from_0_for_the_rounds_years(
    open_round, las, lead_of_las, quantities, message
):
    with refused(match=message, field="quantities"):
        _save(open_round, las, lead_of_las, quantities=quantities)


def test_zero_units_in_a_year_is_an_answer(open_round, las, lead_of_las):
    requirement = _save(open_round, las, lead_of_las, quantities={2027: 0, 2028: 5, 2029: 0})

    assert units_of(requirement) == {2027: 0, 2028: 5, 2029: 0}


@pytest.mark.parametrize(
    ("references", "message"),
    [
        (["EL-01"], "EL-01 is not an optional item of Version 1"),  # mandatory
        (["XX-99"], "XX-99 is not an optional item of Version 1"),  # not in the specification
        (["EL-02", "BV-01", "ZZ-1"], "BV-01, ZZ-1 are not optional items of Version 1"),
    ],
)
def test_optional_references_are_optional_items_of_the_current_version(
    open_round, las, lead_of_las, references, message
):
    with refused(match=message, field="optional_references"):
        _save(open_round, las, lead_of_las, optional_references=references)


def test_an_optional_item_dropped_from_the_current_version_can_no_longer_be_chosen(
    las_order, open_round, las, lead_of_las, admin_of_southern
):
    publish_second_version(
        open_round,
        admin_of_southern,
        lambda draft: line_item_remove(
            line_item=draft.line_items.get(reference="EL-02"), actor=admin_of_southern
        ),
    )

    with refused(match="EL-02 is not an optional item of Version 2", field="optional_references"):
        _save(open_round, las, lead_of_las, optional_references=["EL-02"])


def test_no_demand_before_the_specification_is_published(draft_round, las, lead_of_las):
    with refused(match="specification has not been published yet"):
        _save(draft_round, las, lead_of_las)


def test_no_demand_in_a_closed_round(open_round, las, lead_of_las):
    ProcurementRound.objects.filter(pk=open_round.pk).update(status=RoundStatus.CLOSED)

    with refused(match="This round is closed."):
        _save(open_round, las, lead_of_las)


def test_no_demand_after_the_closing_date(open_round, las, lead_of_las):
    ProcurementRound.objects.filter(pk=open_round.pk).update(
        closing_date=timezone.localdate() - datetime.timedelta(days=1)
    )

    with refused(match="has passed; orders can no longer be entered or confirmed"):
        _save(open_round, las, lead_of_las)


def test_demand_is_taken_on_the_closing_date_itself(open_round, las, lead_of_las):
    ProcurementRound.objects.filter(pk=open_round.pk).update(closing_date=timezone.localdate())

    assert units_of(_save(open_round, las, lead_of_las)) == LAS_UNITS


# --- Confirming -------------------------------------------------------------------------------


def test_confirming_makes_the_order_binding_and_is_audited(las_order, las, lead_of_las):
    confirmed = requirement_confirm(requirement=las_order, actor=lead_of_las, confirmed=True)

    assert confirmed.status == RequirementStatus.CONFIRMED
    assert confirmed.confirmed_by == lead_of_las
    assert confirmed.confirmed_at is not None
    [event] = events_for(las_order, "procurement.requirement_confirmed")
    assert (event.actor, event.trust) == (lead_of_las, las)
    assert (event.before["status"], event.after["status"]) == ("draft", "confirmed")
    assert event.after["quantities"] == {"2027": 4, "2028": 3, "2029": 2}


def test_confirming_needs_the_box_ticked(las_order, lead_of_las):
    with refused(match="Confirm that this is your trust's final order", field="confirmed"):
        requirement_confirm(requirement=las_order, actor=lead_of_las, confirmed=False)


def test_an_order_of_no_vehicles_cannot_be_confirmed(open_round, las, lead_of_las):
    requirement = _save(open_round, las, lead_of_las, quantities={2027: 0, 2028: 0})

    with refused(match="The order has no units yet"):
        requirement_confirm(requirement=requirement, actor=lead_of_las, confirmed=True)


def test_a_variation_waiting_for_a_decision_blocks_confirming(
    las_order, las_variation, lead_of_las
):
    with refused(match="1 variation is waiting for a decision"):
        requirement_confirm(requirement=las_order, actor=lead_of_las, confirmed=True)

    variation_withdraw(variation=las_variation, actor=lead_of_las)
    assert (
        requirement_confirm(requirement=las_order, actor=lead_of_las, confirmed=True).status
        == RequirementStatus.CONFIRMED
    )


def test_an_order_made_against_an_older_version_is_saved_again_before_confirming(
    las_order, open_round, las, lead_of_las, admin_of_southern
):
    publish_second_version(open_round, admin_of_southern)

    with refused(match="This order was made against version 1; the specification is now at"):
        requirement_confirm(requirement=las_order, actor=lead_of_las, confirmed=True)

    _save(open_round, las, lead_of_las)
    las_order.refresh_from_db()
    confirmed = requirement_confirm(requirement=las_order, actor=lead_of_las, confirmed=True)
    assert confirmed.version.number == 2


def test_no_confirming_once_the_round_is_closed(las_order, open_round, lead_of_las):
    ProcurementRound.objects.filter(pk=open_round.pk).update(status=RoundStatus.CLOSED)

    with refused(match="This round is closed."):
        requirement_confirm(requirement=las_order, actor=lead_of_las, confirmed=True)


def test_a_second_confirmation_is_refused(confirmed_las_order, lead_of_las):
    with refused(match="Your trust already confirmed this order on"):
        requirement_confirm(requirement=confirmed_las_order, actor=lead_of_las, confirmed=True)


def test_a_confirmed_order_cannot_be_saved_over(confirmed_las_order, open_round, las, lead_of_las):
    with refused(match="it is binding. To change it, ask for a change"):
        _save(open_round, las, lead_of_las, quantities={2027: 40})

    assert units_of(confirmed_las_order) == LAS_UNITS


# --- Changes after confirmation ---------------------------------------------------------------


def _ask(requirement, actor, quantities=None, references=("EL-02",), reason="A station opens."):
    return change_request_create(
        requirement=requirement,
        actor=actor,
        quantities={2027: 5, 2028: 3, 2029: 2} if quantities is None else quantities,
        optional_references=list(references),
        reason=reason,
    )


def test_a_change_is_asked_for_only_after_confirming(las_order, lead_of_las):
    with refused(match="has not confirmed its order yet"):
        _ask(las_order, lead_of_las)


def test_a_change_request_records_what_the_trust_wants(confirmed_las_order, las, lead_of_las):
    change = _ask(confirmed_las_order, lead_of_las)

    assert change.status == DecisionStatus.PENDING
    assert change.quantities == {"2027": 5, "2028": 3, "2029": 2}
    assert change.optional_references == ["EL-02"]
    assert units_of(confirmed_las_order) == LAS_UNITS  # nothing changes until approved
    [event] = events_for(change, "procurement.change_requested")
    assert (event.trust, event.reason) == (las, "A station opens.")
    assert event.before["quantities"] == {"2027": 4, "2028": 3, "2029": 2}


def test_one_change_request_waits_at_a_time(confirmed_las_order, lead_of_las):
    _ask(confirmed_las_order, lead_of_las)

    with refused(match="already asked for a change to this order"):
        _ask(confirmed_las_order, lead_of_las, quantities={2027: 9})


@pytest.mark.parametrize(
    ("quantities", "references", "reason", "message", "field"),
    [
        (None, ("EL-02",), "  ", "Say why your trust's order needs to change.", "reason"),
        ({2031: 1}, (), "More.", "2031 is not one of its years", "quantities"),
        (None, ("BV-01",), "More.", "BV-01 is not an optional item", "optional_references"),
        (
            {2027: 4, 2028: 3, 2029: 2, 2030: 0},
            ("EL-02",),
            "Same.",
            "2030 is not one of its years",
            "quantities",
        ),
        (
            {2027: 4, 2028: 3, 2029: 2},
            ("EL-02",),
            "Same.",
            "That is the order your trust already confirmed.",
            None,
        ),
    ],
)
def test_a_change_request_is_checked_like_an_order(
    confirmed_las_order, lead_of_las, quantities, references, reason, message, field
):
    with refused(match=message, field=field):
        _ask(confirmed_las_order, lead_of_las, quantities, references, reason)


def test_approving_a_change_applies_it_against_the_current_version(
    confirmed_las_order, open_round, lead_of_las, admin_of_southern
):
    change = _ask(confirmed_las_order, lead_of_las, quantities={2027: 6}, references=())
    second = publish_second_version(open_round, admin_of_southern)

    decided = change_request_decide(
        change_request=change, actor=admin_of_southern, approve=True, reason="Agreed at board."
    )

    assert decided.status == DecisionStatus.APPROVED
    assert (decided.decided_by, decided.decision_reason) == (admin_of_southern, "Agreed at board.")
    assert decided.decided_at is not None
    requirement = TrustRequirement.objects.get(pk=confirmed_las_order.pk)
    assert units_of(requirement) == {2027: 6}
    assert requirement.optional_references == []
    assert requirement.version == second
    assert requirement.status == RequirementStatus.CONFIRMED
    [event] = events_for(change, "procurement.change_approved")
    assert event.before["requirement"]["quantities"] == {"2027": 4, "2028": 3, "2029": 2}
    assert event.after["requirement"]["quantities"] == {"2027": 6}
    assert event.after["requirement"]["version"] == 2


def test_rejecting_a_change_leaves_the_confirmed_order(
    confirmed_las_order, lead_of_las, admin_of_southern
):
    change = _ask(confirmed_las_order, lead_of_las)

    decided = change_request_decide(
        change_request=change, actor=admin_of_southern, approve=False, reason="Budget is fixed."
    )

    assert decided.status == DecisionStatus.REJECTED
    requirement = TrustRequirement.objects.get(pk=confirmed_las_order.pk)
    assert units_of(requirement) == LAS_UNITS
    assert requirement.optional_references == ["EL-02"]
    assert [e.action for e in events_for(change)] == [
        "procurement.change_requested",
        "procurement.change_rejected",
    ]


def test_a_change_decision_needs_a_reason_and_a_waiting_request(
    confirmed_las_order, lead_of_las, admin_of_southern
):
    change = _ask(confirmed_las_order, lead_of_las)
    with refused(match="Give the reason for the decision.", field="reason"):
        change_request_decide(
            change_request=change, actor=admin_of_southern, approve=True, reason=" "
        )

    change_request_decide(
        change_request=change, actor=admin_of_southern, approve=False, reason="No."
    )

    with refused(match="This request was already rejected on"):
        change_request_decide(
            change_request=change, actor=admin_of_southern, approve=True, reason="Yes after all."
        )


def test_a_change_asking_for_an_item_dropped_since_cannot_be_approved(
    confirmed_las_order, open_round, lead_of_las, admin_of_southern
):
    change = _ask(confirmed_las_order, lead_of_las)  # keeps EL-02
    publish_second_version(
        open_round,
        admin_of_southern,
        lambda draft: line_item_remove(
            line_item=draft.line_items.get(reference="EL-02"), actor=admin_of_southern
        ),
    )

    with refused(match="The specification changed since this request was made"):
        change_request_decide(
            change_request=change, actor=admin_of_southern, approve=True, reason="Fine."
        )

    assert RequirementChangeRequest.objects.get(pk=change.pk).is_pending
