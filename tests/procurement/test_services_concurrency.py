"""Two people acting on one row at the same moment, on the real PostgreSQL: the row locks make
the second wait for the first and see what it did."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from collab.models import AuditEvent, Role
from procurement.errors import ProcurementRefused
from procurement.models import DecisionStatus, RequirementStatus, TrustRequirement, VariationRequest
from procurement.services import (
    requirement_confirm,
    requirement_save,
    variation_decide,
    variation_request_create,
)
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def second_admin_of_southern(secamb, southern):
    user = UserFactory(email="admin2.southern@example.org", home_trust=secamb)
    RoleFactory(user=user, role=Role.PROGRAMME_ADMIN, collaboration=southern)
    return user


def _at_once(*calls) -> tuple[list, list[BaseException]]:
    """Run the calls in threads released together; what each returned, and what each raised."""
    barrier = threading.Barrier(len(calls))
    results: list = []
    errors: list[BaseException] = []

    def run(call) -> None:
        try:
            barrier.wait(timeout=30)
            results.append(call())
        except BaseException as error:  # reported by the test thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


@pytest.mark.parametrize("attempt", range(3))
def test_two_admins_deciding_one_variation_at_once_leave_one_decision(
    las_variation, admin_of_southern, second_admin_of_southern, attempt
):
    def decide(actor, approve):
        variation = VariationRequest.objects.get(pk=las_variation.pk)
        return lambda: variation_decide(
            variation=variation, actor=actor, approve=approve, reason=f"{actor.email} decides."
        )

    results, errors = _at_once(
        decide(admin_of_southern, True), decide(second_admin_of_southern, False)
    )

    [winner] = results
    [error] = errors
    assert isinstance(error, ProcurementRefused)
    assert f"This variation was already {winner.status}" in error.message
    saved = VariationRequest.objects.get(pk=las_variation.pk)
    assert (saved.status, saved.decided_by, saved.decision_reason) == (
        winner.status,
        winner.decided_by,
        f"{winner.decided_by.email} decides.",
    )
    decisions = AuditEvent.objects.filter(
        action__in=["procurement.variation_approved", "procurement.variation_rejected"]
    )
    assert [(e.action, e.actor) for e in decisions] == [
        (f"procurement.variation_{winner.status}", winner.decided_by)
    ]


@pytest.mark.parametrize("attempt", range(3))
def test_confirming_while_a_variation_is_asked_for_lets_only_one_through(
    las_order, lead_of_las, staff_of_las, attempt
):
    def confirm():
        requirement = TrustRequirement.objects.get(pk=las_order.pk)
        return requirement_confirm(requirement=requirement, actor=lead_of_las, confirmed=True)

    def ask():
        requirement = TrustRequirement.objects.get(pk=las_order.pk)
        return variation_request_create(
            requirement=requirement,
            actor=staff_of_las,
            reference="ST-01",
            instead="A manual stretcher",
            reason="Cost.",
            cost_difference_per_vehicle=Decimal("-9000"),
        )

    results, errors = _at_once(confirm, ask)

    [result] = results
    [error] = errors
    assert isinstance(error, ProcurementRefused)
    requirement = TrustRequirement.objects.get(pk=las_order.pk)
    if isinstance(result, TrustRequirement):  # confirmed first: no variation after it
        assert requirement.status == RequirementStatus.CONFIRMED
        assert not VariationRequest.objects.exists()
        assert "can no longer ask for variations" in error.message
    else:  # the variation came first: it blocks the confirmation
        assert requirement.status == RequirementStatus.DRAFT
        assert VariationRequest.objects.get().status == DecisionStatus.PENDING
        assert "1 variation is waiting for a decision" in error.message


def test_two_leads_saving_a_first_order_at_once_leave_one_requirement(
    open_round, las, lead_of_las, staff_of_las
):
    def save(actor, units):
        return lambda: requirement_save(
            round=open_round,
            trust=las,
            actor=actor,
            quantities={2027: units},
            optional_references=[],
        )

    results, errors = _at_once(save(lead_of_las, 5), save(staff_of_las, 7))

    assert errors == []
    assert len(results) == 2
    [requirement] = TrustRequirement.objects.all()
    saves = AuditEvent.objects.filter(action="procurement.requirement_saved").order_by("pk")
    first, last = saves
    assert first.before is None
    assert last.before == first.after  # the second saw the first
    assert dict(requirement.quantities.values_list("year", "units")) == {
        2027: int(last.after["quantities"]["2027"])
    }
