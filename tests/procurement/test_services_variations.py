"""Variations: on a line item of the current version, one live per item, withdrawn only while
waiting, decided once with a reason, and who decided when recorded."""

from decimal import Decimal

import pytest

from procurement.models import DecisionStatus, VariationRequest
from procurement.services import (
    line_item_remove,
    variation_decide,
    variation_request_create,
    variation_withdraw,
)
from tests.procurement.service_helpers import (
    events_for,
    publish_second_version,
    refused,
)

pytestmark = pytest.mark.django_db


def _ask(requirement, actor, reference="EL-01", **overrides):
    values = {
        "instead": "Six LED scene lights",
        "reason": "Rural roadside incidents at night.",
        "cost_difference_per_vehicle": Decimal("700.00"),
        **overrides,
    }
    return variation_request_create(
        requirement=requirement, actor=actor, reference=reference, **values
    )


def test_a_variation_is_asked_against_the_current_version(
    las_variation, las_order, las, lead_of_las
):
    assert las_variation.status == DecisionStatus.PENDING
    assert las_variation.version == las_order.version
    assert (las_variation.requested_by, las_variation.reference) == (lead_of_las, "EL-01")
    assert las_variation.cost_difference_per_vehicle == Decimal("700.00")
    [event] = events_for(las_variation, "procurement.variation_requested")
    assert (event.actor, event.trust) == (lead_of_las, las)
    assert event.after["cost_difference_per_vehicle"] == "700.00"


def test_a_variation_may_cost_less_than_the_specification(las_order, lead_of_las):
    variation = _ask(
        las_order, lead_of_las, reference="BV-02", cost_difference_per_vehicle=Decimal("-2500")
    )

    assert VariationRequest.objects.get(pk=variation.pk).cost_difference_per_vehicle == Decimal(
        "-2500.00"
    )


@pytest.mark.parametrize(
    ("reference", "overrides", "message", "field"),
    [
        ("XX-01", {}, "XX-01 is not a line item of Version 1", "reference"),
        ("EL-01", {"instead": " "}, "Say what your trust wants instead.", "instead"),
        ("EL-01", {"reason": ""}, "Say why your trust needs this variation.", "reason"),
        (
            "EL-01",
            {"cost_difference_per_vehicle": None},
            "This field cannot be null.",
            "cost_difference_per_vehicle",
        ),
        (
            "EL-01",
            {"cost_difference_per_vehicle": Decimal("12345678901.00")},
            "Ensure that there are no more than 12 digits in total.",
            "cost_difference_per_vehicle",
        ),
    ],
)
def test_a_variation_names_an_item_says_what_and_why_and_costs_it(
    las_order, lead_of_las, reference, overrides, message, field
):
    with refused(match=message, field=field):
        _ask(las_order, lead_of_las, reference=reference, **overrides)


def test_a_reference_dropped_from_the_current_version_cannot_be_varied(
    las_order, open_round, lead_of_las, admin_of_southern
):
    publish_second_version(
        open_round,
        admin_of_southern,
        lambda draft: line_item_remove(
            line_item=draft.line_items.get(reference="EL-02"), actor=admin_of_southern
        ),
    )

    with refused(match="EL-02 is not a line item of Version 2", field="reference"):
        _ask(las_order, lead_of_las, reference="EL-02")


def test_one_live_variation_per_item(las_variation, las_order, lead_of_las, admin_of_southern):
    with refused(
        match="already has a variation on EL-01 that is waiting for a decision", field="reference"
    ):
        _ask(las_order, lead_of_las)

    variation_decide(variation=las_variation, actor=admin_of_southern, approve=True, reason="Ok.")
    with refused(match="already has a variation on EL-01 that is approved", field="reference"):
        _ask(las_order, lead_of_las)


def test_after_a_rejection_or_withdrawal_the_trust_may_ask_again(
    las_variation, las_order, lead_of_las, admin_of_southern
):
    variation_decide(
        variation=las_variation, actor=admin_of_southern, approve=False, reason="Keep four."
    )
    second = _ask(las_order, lead_of_las, instead="Five lights")
    variation_withdraw(variation=second, actor=lead_of_las)
    third = _ask(las_order, lead_of_las, instead="Five brighter lights")

    assert list(
        las_order.variations.filter(reference="EL-01")
        .order_by("pk")
        .values_list("status", flat=True)
    ) == ["rejected", "withdrawn", "pending"]
    assert third.is_pending


def test_no_variation_once_the_order_is_confirmed(confirmed_las_order, lead_of_las):
    with refused(match="has confirmed its order, so it can no longer ask for variations"):
        _ask(confirmed_las_order, lead_of_las)


@pytest.mark.parametrize("approve", [True, False])
def test_a_decision_records_who_when_and_why(las_variation, las, admin_of_southern, approve):
    decided = variation_decide(
        variation=las_variation, actor=admin_of_southern, approve=approve, reason="Board view."
    )

    status = DecisionStatus.APPROVED if approve else DecisionStatus.REJECTED
    saved = VariationRequest.objects.get(pk=las_variation.pk)
    assert decided.status == saved.status == status
    assert (saved.decided_by, saved.decision_reason) == (admin_of_southern, "Board view.")
    assert saved.decided_at is not None
    [event] = events_for(las_variation, f"procurement.variation_{status}")
    assert (event.actor, event.trust, event.reason) == (admin_of_southern, las, "Board view.")
    assert (event.before, event.after["status"]) == ("pending", status)


def test_a_decision_needs_a_reason(las_variation, admin_of_southern):
    with refused(match="Give the reason for the decision.", field="reason"):
        variation_decide(variation=las_variation, actor=admin_of_southern, approve=True, reason=" ")


def test_only_a_waiting_variation_is_decided_or_withdrawn(
    las_variation, lead_of_las, admin_of_southern
):
    variation_decide(variation=las_variation, actor=admin_of_southern, approve=True, reason="Ok.")

    with refused(match="This variation was already approved on"):
        variation_decide(
            variation=las_variation, actor=admin_of_southern, approve=False, reason="No."
        )
    with refused(match="This variation was already approved on"):
        variation_withdraw(variation=las_variation, actor=lead_of_las)


def test_a_withdrawn_variation_cannot_be_decided(las_variation, lead_of_las, admin_of_southern):
    withdrawn = variation_withdraw(variation=las_variation, actor=lead_of_las)

    assert withdrawn.status == DecisionStatus.WITHDRAWN
    [event] = events_for(las_variation, "procurement.variation_withdrawn")
    assert (event.actor, event.before, event.after["status"]) == (
        lead_of_las,
        "pending",
        "withdrawn",
    )
    with refused(match="This variation was already withdrawn by the trust."):
        variation_decide(
            variation=las_variation, actor=admin_of_southern, approve=True, reason="Ok."
        )


def test_a_variation_on_an_item_dropped_since_can_be_rejected_not_approved(
    las_order, open_round, lead_of_las, admin_of_southern
):
    variation = _ask(las_order, lead_of_las, reference="EL-02", instead="A bigger panel")
    publish_second_version(
        open_round,
        admin_of_southern,
        lambda draft: line_item_remove(
            line_item=draft.line_items.get(reference="EL-02"), actor=admin_of_southern
        ),
    )

    with refused(match="EL-02 is no longer in the current specification"):
        variation_decide(variation=variation, actor=admin_of_southern, approve=True, reason="Ok.")

    rejected = variation_decide(
        variation=variation, actor=admin_of_southern, approve=False, reason="Dropped."
    )
    assert rejected.status == DecisionStatus.REJECTED
