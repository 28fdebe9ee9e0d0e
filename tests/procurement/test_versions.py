"""What changed between two versions of the specification: items matched by reference."""

from decimal import Decimal

import pytest

from procurement.models import SpecificationVersion
from procurement.versions import FieldChange, quantity_text, version_diff
from tests.procurement.conftest import FIRST_SPECIFICATION, write_version

BV_01, BV_02, EL_01, EL_02, ST_01 = FIRST_SPECIFICATION

# Version 2: EL-02 removed; BV-02 dearer; ST-01 moved to a new section; two items added, one in
# a new section; BV-01 and EL-01 unchanged. "Stretcher and loading" is left empty, so it goes.
SECOND_SPECIFICATION = (
    BV_01,
    ("BV-02", "Base vehicle and chassis", "Automatic gearbox", "mandatory", "each", "1", "2750.00"),
    ("BV-03", "Base vehicle and chassis", "Tow bar", "optional", "each", "1", "450.00"),
    EL_01,
    (
        "ST-01",
        "Conversion and body",
        "Powered stretcher and loading system",
        "mandatory",
        "set",
        "1",
        "21000.00",
    ),
    ("CM-01", "Communications and IT", "Airwave radio", "mandatory", "each", "1", "3200.00"),
)


@pytest.fixture
def versions(open_round, admin_of_southern) -> tuple[SpecificationVersion, SpecificationVersion]:
    first = open_round.versions.get(number=1)
    second = write_version(open_round, 2, admin_of_southern, items=SECOND_SPECIFICATION)
    return first, second


def test_added_and_removed_items_are_listed_in_specification_order(versions):
    diff = version_diff(*versions)

    assert [item.reference for item in diff.added] == ["BV-03", "CM-01"]
    assert [item.reference for item in diff.removed] == ["EL-02"]
    assert diff.added[0].version == versions[1]
    assert diff.removed[0].version == versions[0]
    assert diff.has_changes


def test_a_change_of_cost_and_a_change_of_section_are_reported_in_words(versions):
    diff = version_diff(*versions)

    assert [change.reference for change in diff.changed] == ["BV-02", "ST-01"]
    gearbox, stretcher = diff.changed
    assert gearbox.fields == [FieldChange("Estimated unit cost", "£2,500.00", "£2,750.00")]
    assert gearbox.before.estimated_unit_cost < gearbox.after.estimated_unit_cost
    assert stretcher.fields == [
        FieldChange("Section", "Stretcher and loading", "Conversion and body")
    ]


def test_unchanged_items_are_not_listed(versions):
    diff = version_diff(*versions)

    listed = {item.reference for item in [*diff.added, *diff.removed]} | {
        change.reference for change in diff.changed
    }
    assert "BV-01" not in listed
    assert "EL-01" not in listed


def test_sections_added_and_removed_are_named(versions):
    diff = version_diff(*versions)

    assert diff.sections_added == ["Conversion and body", "Communications and IT"]
    assert diff.sections_removed == ["Stretcher and loading"]


def test_every_field_a_person_reads_is_compared(open_round, admin_of_southern):
    changed = (
        "EL-01",
        "Electrical and lighting",
        "LED scene lighting, each side and rear",
        "optional",
        "pair",
        "2.5",
        "1350.00",
    )
    items = [changed if row[0] == "EL-01" else row for row in FIRST_SPECIFICATION]
    second = write_version(open_round, 2, admin_of_southern, items=items)

    diff = version_diff(open_round.versions.get(number=1), second)

    assert [change.reference for change in diff.changed] == ["EL-01"]
    assert diff.changed[0].fields == [
        FieldChange(
            "Requirement", "LED scene lighting, each side", "LED scene lighting, each side and rear"
        ),
        FieldChange("Mandatory or optional", "Mandatory", "Optional"),
        FieldChange("Unit", "each", "pair"),
        FieldChange("Quantity per vehicle", "4", "2.5"),
        FieldChange("Estimated unit cost", "£350.00", "£1,350.00"),
    ]
    assert not diff.added and not diff.removed
    assert not diff.sections_added and not diff.sections_removed


def test_a_copy_has_no_changes(open_round, admin_of_southern):
    copy = write_version(open_round, 2, admin_of_southern, published=False)

    diff = version_diff(open_round.versions.get(number=1), copy)

    assert not diff.has_changes
    assert diff.added == diff.removed == diff.changed == []


def test_the_diff_runs_backwards_too(versions):
    first, second = versions

    diff = version_diff(second, first)

    assert [item.reference for item in diff.added] == ["EL-02"]
    assert [item.reference for item in diff.removed] == ["BV-03", "CM-01"]
    assert diff.changed[0].fields == [FieldChange("Estimated unit cost", "£2,750.00", "£2,500.00")]


def test_the_diff_runs_a_fixed_number_of_queries(versions, django_assert_num_queries):
    with django_assert_num_queries(4):
        version_diff(*versions)


@pytest.mark.parametrize(
    ("value", "text"), [("1.00", "1"), ("2.50", "2.5"), ("0.25", "0.25"), ("10.00", "10")]
)
def test_quantities_are_written_without_trailing_zeros(value, text):
    assert quantity_text(Decimal(value)) == text
