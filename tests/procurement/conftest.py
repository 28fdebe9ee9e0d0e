"""A Southern joint purchase of ambulances: an active vehicles project with LAS and SECAmb
committed, and a procurement round on it. YAS (Northern) is outside the project.

The round and its first specification are written straight to the models, so these fixtures
do not lean on the procurement services that the tests exercise.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from procurement.models import (
    ItemKind,
    LineItem,
    ProcurementRound,
    RoundStatus,
    SpecificationSection,
    SpecificationVersion,
    VersionStatus,
)
from projects.models import Category, FundingModel
from projects.services import (
    milestone_save,
    participation_decide,
    project_create,
    project_open,
    project_start,
)
from tests.procurement.service_helpers import (  # noqa: F401  (fixtures built with the services)
    confirmed_las_order,
    las_order,
    las_variation,
    not_joined_trust,
)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


# Reference, section, requirement, kind, unit, quantity per vehicle, estimated unit cost.
FIRST_SPECIFICATION = (
    (
        "BV-01",
        "Base vehicle and chassis",
        "Panel van, 4.25 t gross",
        "mandatory",
        "each",
        "1",
        "48000.00",
    ),
    ("BV-02", "Base vehicle and chassis", "Automatic gearbox", "mandatory", "each", "1", "2500.00"),
    (
        "EL-01",
        "Electrical and lighting",
        "LED scene lighting, each side",
        "mandatory",
        "each",
        "4",
        "350.00",
    ),
    (
        "EL-02",
        "Electrical and lighting",
        "Solar trickle charger",
        "optional",
        "each",
        "1",
        "900.00",
    ),
    (
        "ST-01",
        "Stretcher and loading",
        "Powered stretcher and loading system",
        "mandatory",
        "set",
        "1",
        "21000.00",
    ),
)


@pytest.fixture
def vehicle_project(southern, admin_of_southern, las, secamb, lead_of_las, lead_of_secamb):
    """Active, vehicles and procurement, with LAS and SECAmb committed."""
    project = project_create(
        collaboration=southern,
        actor=admin_of_southern,
        lead_trust=secamb,
        title="Joint purchase of double-crewed ambulances",
        summary="Buy the southern trusts' double-crewed ambulances together on one specification.",
        category=Category.VEHICLES_AND_PROCUREMENT,
        terms="Each trust orders against the common specification and asks before departing.",
        funding_model=FundingModel.EQUAL_SPLIT,
        total_budget=Decimal("60000.00"),
        staff_days_per_trust=10,
        decision_deadline=days(14),
        planned_start=days(21),
        planned_end=days(800),
    )
    milestone_save(
        project=project,
        actor=admin_of_southern,
        title="Orders placed",
        deliverable="Each trust confirms its order in the procurement round.",
        due_on=days(90),
    )
    project_open(project=project, actor=admin_of_southern)
    for participation, lead in (
        (project.participations.get(trust=las), lead_of_las),
        (project.participations.get(trust=secamb), lead_of_secamb),
    ):
        participation_decide(
            participation=participation,
            actor=lead,
            opt_in=True,
            reason="One specification gives us buying power.",
            contact=lead,
            confirmed=True,
        )
    return project_start(project=project, actor=admin_of_southern)


def write_version(round_, number: int, author, items=FIRST_SPECIFICATION, published=True):
    """A specification version with its sections and line items, written straight to the rows."""
    version = SpecificationVersion.objects.create(
        round=round_,
        number=number,
        status=VersionStatus.PUBLISHED if published else VersionStatus.DRAFT,
        created_by=author,
        published_by=author if published else None,
        published_at=timezone.now() if published else None,
        change_summary="" if number == 1 else "Revised.",
    )
    sections: dict[str, SpecificationSection] = {}
    for position, (reference, section, requirement, kind, unit, quantity, cost) in enumerate(items):
        if section not in sections:
            sections[section] = version.sections.create(title=section, position=len(sections))
        LineItem.objects.create(
            version=version,
            section=sections[section],
            reference=reference,
            requirement=requirement,
            kind=ItemKind(kind),
            unit=unit,
            quantity_per_vehicle=Decimal(quantity),
            estimated_unit_cost=Decimal(cost),
            position=position,
        )
    return version


@pytest.fixture
def draft_round(vehicle_project, admin_of_southern):
    """A round whose first specification is still a draft (trusts cannot see it yet)."""
    round_ = ProcurementRound.objects.create(
        slug="dca-2027",
        project=vehicle_project,
        title="Double-crewed ambulances 2027 to 2030",
        description="A common double-crewed ambulance, bought together.",
        status=RoundStatus.DRAFT,
        closing_date=days(30),
        first_delivery_year=2027,
        delivery_years=3,
        created_by=admin_of_southern,
    )
    write_version(round_, 1, admin_of_southern, published=False)
    return round_


@pytest.fixture
def open_round(draft_round):
    """The same round with version 1 published: trusts can enter their demand."""
    draft_round.versions.update(
        status=VersionStatus.PUBLISHED,
        published_by=draft_round.created_by,
        published_at=timezone.now(),
    )
    draft_round.status = RoundStatus.OPEN
    draft_round.save(update_fields=["status"])
    return draft_round
