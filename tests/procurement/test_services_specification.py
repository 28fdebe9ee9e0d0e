"""Versioning: admins edit only a draft, publishing freezes it, the next version starts as a
copy, one draft at a time, and a trust's requirement keeps the version it was made against."""

from decimal import Decimal

import pytest
from django.db import IntegrityError

from procurement.models import (
    ItemKind,
    LineItem,
    RoundStatus,
    SpecificationSection,
    SpecificationVersion,
    VersionStatus,
)
from procurement.services import (
    line_item_remove,
    line_item_save,
    requirement_save,
    section_add,
    section_remove,
    version_publish,
    version_start_draft,
)
from tests.procurement.service_helpers import (
    LAS_UNITS,
    events_for,
    publish_second_version,
    refused,
)

pytestmark = pytest.mark.django_db


def _item(version, admin, reference="CM-01", section=None, line_item=None, **fields):
    section = section or version.sections.get(title="Electrical and lighting")
    values = {
        "requirement": "Airwave and ESN-ready radio",
        "kind": ItemKind.MANDATORY,
        "unit": "each",
        "quantity_per_vehicle": Decimal("1"),
        "estimated_unit_cost": Decimal("4200.00"),
        **fields,
    }
    return line_item_save(
        version=version,
        actor=admin,
        section=section,
        reference=reference,
        line_item=line_item,
        **values,
    )


def _v(round_, number) -> SpecificationVersion:
    return round_.versions.get(number=number)


# --- Editing a draft --------------------------------------------------------------------------


def test_an_admin_adds_and_changes_line_items_in_a_draft(draft_round, admin_of_southern):
    draft = _v(draft_round, 1)

    item = _item(draft, admin_of_southern)
    changed = _item(
        draft, admin_of_southern, line_item=item, estimated_unit_cost=Decimal("3900.50")
    )

    assert changed.pk == item.pk
    item.refresh_from_db()
    assert (item.reference, item.estimated_unit_cost) == ("CM-01", Decimal("3900.50"))
    assert item.position == 5  # after the five items the draft held
    added, edited = events_for(item)
    assert added.action == "procurement.line_item_added"
    assert edited.action == "procurement.line_item_changed"
    assert edited.before["estimated_unit_cost"] == "4200.00"
    assert edited.after["estimated_unit_cost"] == "3900.50"
    assert edited.context == f"procurement.procurementround:{draft_round.pk}"


def test_a_reference_is_used_once_per_version(draft_round, admin_of_southern):
    with refused(match="already has a line item EL-01", field="reference"):
        _item(_v(draft_round, 1), admin_of_southern, reference="EL-01")


def test_a_line_item_goes_in_a_section_of_its_own_version(open_round, admin_of_southern):
    draft = version_start_draft(round=open_round, actor=admin_of_southern)
    old_section = _v(open_round, 1).sections.first()

    with refused(match="Choose one of the sections of Version 2.", field="section"):
        _item(draft, admin_of_southern, section=old_section)


def test_a_negative_cost_is_refused_on_its_field(draft_round, admin_of_southern):
    with refused(match="greater than or equal to 0", field="estimated_unit_cost"):
        _item(_v(draft_round, 1), admin_of_southern, estimated_unit_cost=Decimal("-1"))


def test_sections_are_added_at_the_end_and_only_an_empty_one_is_removed(
    draft_round, admin_of_southern
):
    draft = _v(draft_round, 1)
    section = section_add(version=draft, actor=admin_of_southern, title="Infection control")

    assert section.position == draft.sections.count() - 1
    with refused(match="already has a section called Infection control", field="title"):
        section_add(version=draft, actor=admin_of_southern, title="infection control")
    with refused(match="holds 2 line items"):
        section_remove(
            section=draft.sections.get(title="Electrical and lighting"), actor=admin_of_southern
        )

    section_remove(section=section, actor=admin_of_southern)

    assert not SpecificationSection.objects.filter(pk=section.pk).exists()
    assert [e.action for e in events_for(section)] == [
        "procurement.section_added",
        "procurement.section_removed",
    ]


def test_removing_a_line_item_from_a_draft(draft_round, admin_of_southern):
    item = _v(draft_round, 1).line_items.get(reference="EL-02")

    line_item_remove(line_item=item, actor=admin_of_southern)

    assert not LineItem.objects.filter(pk=item.pk).exists()
    [event] = events_for(item, "procurement.line_item_removed")
    assert event.before["reference"] == "EL-02"


def test_nothing_in_a_published_version_can_change(open_round, admin_of_southern):
    published = _v(open_round, 1)
    item = published.line_items.get(reference="EL-01")
    section = published.sections.get(title="Electrical and lighting")
    frozen = "Version 1 is published and cannot change. Start a new draft"

    with refused(match=frozen):
        _item(published, admin_of_southern)
    with refused(match=frozen):
        _item(published, admin_of_southern, reference="EL-01", line_item=item)
    with refused(match=frozen):
        line_item_remove(line_item=item, actor=admin_of_southern)
    with refused(match=frozen):
        section_add(version=published, actor=admin_of_southern, title="New")
    with refused(match=frozen):
        section_remove(section=section, actor=admin_of_southern)
    with refused(match=frozen):
        version_publish(version=published, actor=admin_of_southern)


# --- Publishing -------------------------------------------------------------------------------


def test_the_first_publication_freezes_version_1_and_opens_the_round(
    draft_round, admin_of_southern
):
    version = version_publish(version=_v(draft_round, 1), actor=admin_of_southern)

    draft_round.refresh_from_db()
    assert draft_round.status == RoundStatus.OPEN
    assert (version.status, version.published_by) == (VersionStatus.PUBLISHED, admin_of_southern)
    assert version.published_at is not None
    [event] = events_for(version, "procurement.version_published")
    assert event.before == {"status": "draft", "round_status": "draft"}
    assert event.after == {
        "status": "published",
        "number": 1,
        "line_items": 5,
        "round_status": "open",
    }


def test_an_empty_version_is_not_published(vehicle_project, draft_round, admin_of_southern):
    LineItem.objects.filter(version__round=draft_round).delete()

    with refused(match="Version 1 has no line items yet"):
        version_publish(version=_v(draft_round, 1), actor=admin_of_southern)


def test_from_version_2_publishing_needs_a_summary_of_the_change(open_round, admin_of_southern):
    draft = version_start_draft(round=open_round, actor=admin_of_southern)

    with refused(match="Say what changed since the previous version", field="change_summary"):
        version_publish(version=draft, actor=admin_of_southern, change_summary="   ")

    version = version_publish(
        version=draft, actor=admin_of_southern, change_summary="Six scene lights."
    )
    assert (version.status, version.change_summary) == (
        VersionStatus.PUBLISHED,
        "Six scene lights.",
    )
    assert events_for(version, "procurement.version_published")[0].reason == "Six scene lights."


# --- The next draft ---------------------------------------------------------------------------


def test_a_new_draft_copies_the_latest_published_version(open_round, admin_of_southern):
    section_titles = list(_v(open_round, 1).sections.values_list("title", "position"))
    fields = ("reference", "section__title", "requirement", "kind", "unit")
    numbers = ("quantity_per_vehicle", "estimated_unit_cost", "position")
    items = list(_v(open_round, 1).line_items.values_list(*fields, *numbers))

    draft = version_start_draft(round=open_round, actor=admin_of_southern)

    assert (draft.number, draft.status, draft.created_by) == (2, "draft", admin_of_southern)
    assert list(draft.sections.values_list("title", "position")) == section_titles
    assert list(draft.line_items.values_list(*fields, *numbers)) == items
    # New rows: editing the copy leaves version 1 as it was.
    assert not set(draft.line_items.values_list("pk", flat=True)) & set(
        _v(open_round, 1).line_items.values_list("pk", flat=True)
    )
    [event] = events_for(draft, "procurement.draft_started")
    assert event.after == {"number": 2, "copied_from": 1, "sections": 3, "line_items": 5}


def test_one_draft_at_a_time(open_round, admin_of_southern):
    version_start_draft(round=open_round, actor=admin_of_southern)

    with refused(match="Version 2 is already a draft"):
        version_start_draft(round=open_round, actor=admin_of_southern)


def test_the_database_also_holds_one_draft_at_a_time(open_round, admin_of_southern):
    version_start_draft(round=open_round, actor=admin_of_southern)

    with pytest.raises(IntegrityError):
        SpecificationVersion.objects.create(
            round=open_round, number=3, status=VersionStatus.DRAFT, created_by=admin_of_southern
        )


def test_version_3_copies_version_2_not_version_1(open_round, admin_of_southern):
    publish_second_version(
        open_round,
        admin_of_southern,
        lambda draft: line_item_remove(
            line_item=draft.line_items.get(reference="EL-02"), actor=admin_of_southern
        ),
    )

    third = version_start_draft(round=open_round, actor=admin_of_southern)

    assert third.number == 3
    assert sorted(third.line_items.values_list("reference", flat=True)) == [
        "BV-01",
        "BV-02",
        "EL-01",
        "ST-01",
    ]


def test_a_closed_round_gets_no_new_version(open_round, admin_of_southern):
    open_round.status = RoundStatus.CLOSED
    open_round.save(update_fields=["status"])

    with refused(match="This round is closed; its specification is final."):
        version_start_draft(round=open_round, actor=admin_of_southern)


# --- Requirements and versions ----------------------------------------------------------------


def test_a_requirement_keeps_the_version_it_was_saved_against(
    las_order, open_round, admin_of_southern
):
    assert las_order.version.number == 1

    publish_second_version(open_round, admin_of_southern)

    las_order.refresh_from_db()
    assert las_order.version.number == 1


def test_saving_a_requirement_again_moves_it_to_the_current_version(
    las_order, open_round, las, lead_of_las, admin_of_southern
):
    second = publish_second_version(open_round, admin_of_southern)

    saved = requirement_save(
        round=open_round,
        trust=las,
        actor=lead_of_las,
        quantities=LAS_UNITS,
        optional_references=["EL-02"],
    )

    assert saved.pk == las_order.pk
    assert saved.version == second
    first, again = events_for(las_order, "procurement.requirement_saved")
    assert (again.before["version"], again.after["version"]) == (1, 2)
