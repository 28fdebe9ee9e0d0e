"""Helpers and fixtures for the procurement service tests: refusals that leave the database as
it was, the audit events of an object, and a round with orders and variations in it (built with
the services, on top of the fixtures in conftest.py).

Test modules import the fixtures they use from here (`# noqa: F401`).
"""

import re
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import models

from collab.models import AuditEvent, Delivery, Notification
from procurement.errors import ProcurementRefused
from procurement.models import (
    LineItem,
    ProcurementRound,
    RequirementChangeRequest,
    SpecificationSection,
    SpecificationVersion,
    TrustRequirement,
    VariationRequest,
    YearQuantity,
)
from procurement.services import (
    requirement_confirm,
    requirement_save,
    variation_request_create,
    version_publish,
    version_start_draft,
)
from projects.models import Participation, ParticipationStatus
from tests.factories import MembershipFactory, TrustFactory

# Every table a procurement service writes to (with the notifications it queues).
WRITTEN_BY_SERVICES = (
    ProcurementRound,
    SpecificationVersion,
    SpecificationSection,
    LineItem,
    TrustRequirement,
    YearQuantity,
    VariationRequest,
    RequirementChangeRequest,
    AuditEvent,
    Notification,
    Delivery,
)

LAS_UNITS = {2027: 4, 2028: 3, 2029: 2}


def db_state() -> dict[str, list[dict]]:
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in WRITTEN_BY_SERVICES
    }


@contextmanager
def refused(*, match: str, field: str | None = None):
    """The block is refused with ProcurementRefused (its message containing `match`, about
    `field`), and leaves every table the services write exactly as it was."""
    before = db_state()
    with pytest.raises(ProcurementRefused, match=re.escape(match)) as info:
        yield info
    assert info.value.field == field
    assert db_state() == before


def events_for(target: models.Model, action: str | None = None) -> list[AuditEvent]:
    """The audit events about one object, oldest first."""
    events = AuditEvent.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    )
    if action is not None:
        events = events.filter(action=action)
    return list(events.order_by("occurred_at", "pk"))


def units_of(requirement: TrustRequirement) -> dict[int, int]:
    return dict(
        YearQuantity.objects.filter(requirement=requirement)
        .order_by("year")
        .values_list("year", "units")
    )


def publish_second_version(round_, admin, change=None) -> SpecificationVersion:
    """Version 2: a copy of version 1, changed by `change(draft)`, then published."""
    draft = version_start_draft(round=round_, actor=admin)
    if change is not None:
        change(draft)
    return version_publish(version=draft, actor=admin, change_summary="Revised lighting.")


# --- Fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def las_order(open_round, las, lead_of_las):
    """LAS's demand, not yet confirmed: 4, 3 and 2 vehicles, with the solar charger."""
    return requirement_save(
        round=open_round,
        trust=las,
        actor=lead_of_las,
        quantities=LAS_UNITS,
        optional_references=["EL-02"],
    )


@pytest.fixture
def confirmed_las_order(las_order, lead_of_las):
    return requirement_confirm(requirement=las_order, actor=lead_of_las, confirmed=True)


@pytest.fixture
def las_variation(las_order, lead_of_las):
    """LAS asks for six scene lights instead of four, waiting for a decision."""
    return variation_request_create(
        requirement=las_order,
        actor=lead_of_las,
        reference="EL-01",
        instead="Six LED scene lights",
        reason="Our rural stations attend more roadside incidents at night.",
        cost_difference_per_vehicle=Decimal("700.00"),
    )


@pytest.fixture
def not_joined_trust(vehicle_project, southern):
    """SCAS: a Southern member that joined after the project started and has not joined it."""
    trust = TrustFactory(
        name="South Central Ambulance Service NHS Foundation Trust",
        short_name="SCAS",
        slug="scas",
        ods_code="RYE",
    )
    MembershipFactory(collaboration=southern, trust=trust)
    Participation.objects.create(
        project=vehicle_project, trust=trust, status=ParticipationStatus.NOT_JOINED
    )
    return trust
