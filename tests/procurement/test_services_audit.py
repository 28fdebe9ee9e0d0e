"""Every procurement service records one AuditEvent, filed under the round, in the transaction
of its change: when the record cannot be written, the change is undone."""

from decimal import Decimal

import pytest

from collab.audit import audit_context
from procurement import services
from procurement.models import ItemKind
from procurement.services import demand, rounds, specification, variations
from tests.audit_cases import (
    Change,
    change_id,
    check_undone_without_audit,
    run_and_read_its_audit_event,
)
from tests.procurement.conftest import days
from tests.procurement.service_helpers import (
    db_state,
)

pytestmark = pytest.mark.django_db


def _round_create(f):
    project, admin = f("vehicle_project"), f("admin_of_southern")
    return Change(
        lambda: services.round_create(
            project=project,
            actor=admin,
            title="Rapid response vehicles",
            description="Cars for paramedics.",
            closing_date=days(60),
            first_delivery_year=days(60).year + 1,
        ),
        admin,
        "procurement.round_created",
    )


def _round_update(f):
    round_, admin = f("open_round"), f("admin_of_southern")
    return Change(
        lambda: services.round_update(
            round=round_, actor=admin, title="DCA", description="x", closing_date=days(20)
        ),
        admin,
        "procurement.round_updated",
    )


def _round_close(f):
    round_, admin = f("open_round"), f("admin_of_southern")
    return Change(
        lambda: services.round_close(round=round_, actor=admin), admin, "procurement.round_closed"
    )


def _section_add(f):
    round_, admin = f("draft_round"), f("admin_of_southern")
    version = round_.versions.get()
    return Change(
        lambda: services.section_add(version=version, actor=admin, title="Infection control"),
        admin,
        "procurement.section_added",
    )


def _section_remove(f):
    round_, admin = f("draft_round"), f("admin_of_southern")
    section = round_.versions.get().sections.create(title="Empty", position=9)
    return Change(
        lambda: services.section_remove(section=section, actor=admin),
        admin,
        "procurement.section_removed",
    )


def _line_item_save(f):
    round_, admin = f("draft_round"), f("admin_of_southern")
    version = round_.versions.get()
    return Change(
        lambda: services.line_item_save(
            version=version,
            actor=admin,
            section=version.sections.first(),
            reference="BV-03",
            requirement="Air suspension",
            kind=ItemKind.OPTIONAL,
            unit="each",
            quantity_per_vehicle=Decimal("1"),
            estimated_unit_cost=Decimal("3100"),
        ),
        admin,
        "procurement.line_item_added",
    )


def _line_item_remove(f):
    round_, admin = f("draft_round"), f("admin_of_southern")
    item = round_.versions.get().line_items.first()
    return Change(
        lambda: services.line_item_remove(line_item=item, actor=admin),
        admin,
        "procurement.line_item_removed",
    )


def _version_publish(f):
    round_, admin = f("draft_round"), f("admin_of_southern")
    return Change(
        lambda: services.version_publish(version=round_.versions.get(), actor=admin),
        admin,
        "procurement.version_published",
    )


def _version_start_draft(f):
    round_, admin = f("open_round"), f("admin_of_southern")
    return Change(
        lambda: services.version_start_draft(round=round_, actor=admin),
        admin,
        "procurement.draft_started",
    )


def _requirement_save(f):
    round_, las, lead = f("open_round"), f("las"), f("lead_of_las")
    return Change(
        lambda: services.requirement_save(
            round=round_, trust=las, actor=lead, quantities={2027: 2}, optional_references=[]
        ),
        lead,
        "procurement.requirement_saved",
        las,
    )


def _variation_request(f):
    requirement, lead, las = f("las_order"), f("lead_of_las"), f("las")
    return Change(
        lambda: services.variation_request_create(
            requirement=requirement,
            actor=lead,
            reference="ST-01",
            instead="Manual stretcher",
            reason="Cost.",
            cost_difference_per_vehicle=Decimal("-9000"),
        ),
        lead,
        "procurement.variation_requested",
        las,
    )


def _variation_withdraw(f):
    variation, lead, las = f("las_variation"), f("lead_of_las"), f("las")
    return Change(
        lambda: services.variation_withdraw(variation=variation, actor=lead),
        lead,
        "procurement.variation_withdrawn",
        las,
    )


def _variation_decide(f):
    variation, admin, las = f("las_variation"), f("admin_of_southern"), f("las")
    return Change(
        lambda: services.variation_decide(
            variation=variation, actor=admin, approve=True, reason="Fine."
        ),
        admin,
        "procurement.variation_approved",
        las,
    )


def _requirement_confirm(f):
    requirement, lead, las = f("las_order"), f("lead_of_las"), f("las")
    return Change(
        lambda: services.requirement_confirm(requirement=requirement, actor=lead, confirmed=True),
        lead,
        "procurement.requirement_confirmed",
        las,
    )


def _change_request(f):
    requirement, lead, las = f("confirmed_las_order"), f("lead_of_las"), f("las")
    return Change(
        lambda: services.change_request_create(
            requirement=requirement,
            actor=lead,
            quantities={2027: 9},
            optional_references=[],
            reason="New station.",
        ),
        lead,
        "procurement.change_requested",
        las,
    )


def _change_decide(f):
    requirement, lead, admin, las = (
        f("confirmed_las_order"),
        f("lead_of_las"),
        f("admin_of_southern"),
        f("las"),
    )
    change = services.change_request_create(
        requirement=requirement,
        actor=lead,
        quantities={2027: 9},
        optional_references=[],
        reason="New station.",
    )
    return Change(
        lambda: services.change_request_decide(
            change_request=change, actor=admin, approve=True, reason="Agreed."
        ),
        admin,
        "procurement.change_approved",
        las,
    )


CHANGES = [
    _round_create,
    _round_update,
    _round_close,
    _section_add,
    _section_remove,
    _line_item_save,
    _line_item_remove,
    _version_publish,
    _version_start_draft,
    _requirement_save,
    _variation_request,
    _variation_withdraw,
    _variation_decide,
    _requirement_confirm,
    _change_request,
    _change_decide,
]


def test_every_service_is_in_the_table():
    assert len(CHANGES) == len(services.__all__)


@pytest.mark.parametrize("prepare", CHANGES, ids=change_id)
def test_every_change_records_one_audit_event_filed_under_its_round(request, prepare):
    change = prepare(request.getfixturevalue)
    result, event = run_and_read_its_audit_event(change)
    round_ = result if change.action == "procurement.round_created" else None
    round_ = round_ or request.getfixturevalue("draft_round")
    assert event.context == audit_context(round_)


@pytest.mark.parametrize("prepare", CHANGES, ids=change_id)
def test_a_change_is_undone_when_its_audit_record_cannot_be_written(request, monkeypatch, prepare):
    change = prepare(request.getfixturevalue)
    modules = (rounds, specification, demand, variations)
    check_undone_without_audit(change, monkeypatch, modules, db_state)
