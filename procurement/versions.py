"""What changed between two versions of a common specification.

Line items are matched by reference, which identifies an item across versions: an item whose
reference is only in the newer version was added, one only in the older was removed, and one in
both changed when any field people read differs. Sections are matched by title. Everything is
listed in the order of the specification: section position, then reference.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from procurement.models import ItemKind, LineItem, SpecificationVersion
from projects.templatetags.project_tags import pounds


@dataclass(frozen=True)
class FieldChange:
    label: str  # "Estimated unit cost"
    before: str  # "£2,500.00"
    after: str


@dataclass(frozen=True)
class ItemChange:
    reference: str
    before: LineItem
    after: LineItem
    fields: list[FieldChange]


@dataclass(frozen=True)
class VersionDiff:
    older: SpecificationVersion
    newer: SpecificationVersion
    added: list[LineItem] = field(default_factory=list)
    removed: list[LineItem] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)
    sections_added: list[str] = field(default_factory=list)
    sections_removed: list[str] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(
            self.added
            or self.removed
            or self.changed
            or self.sections_added
            or self.sections_removed
        )


def quantity_text(value: Decimal) -> str:
    """1, 2.5 or 0.25: a quantity without the trailing zeros of its two decimal places."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _kind_text(kind: str) -> str:
    return ItemKind(kind).label if kind in ItemKind.values else kind


# (label, how to read the field as text) for each field a change is reported on, in the order
# the change lists them.
_COMPARED = (
    ("Section", lambda item: item.section.title),
    ("Requirement", lambda item: item.requirement),
    ("Mandatory or optional", lambda item: _kind_text(item.kind)),
    ("Unit", lambda item: item.unit),
    ("Quantity per vehicle", lambda item: quantity_text(item.quantity_per_vehicle)),
    ("Estimated unit cost", lambda item: pounds(item.estimated_unit_cost)),
)


def _field_changes(before: LineItem, after: LineItem) -> list[FieldChange]:
    changes = []
    for label, read in _COMPARED:
        old, new = read(before), read(after)
        if old != new:
            changes.append(FieldChange(label=label, before=old, after=new))
    return changes


def _items(version: SpecificationVersion) -> dict[str, LineItem]:
    return {
        item.reference: item
        for item in LineItem.objects.filter(version=version).select_related("section")
    }


def _in_order(item: LineItem) -> tuple[int, str]:
    return (item.section.position, item.reference)


def version_diff(older: SpecificationVersion, newer: SpecificationVersion) -> VersionDiff:
    """The items and sections added, removed and changed from `older` to `newer`, in four
    queries. Unchanged items are not listed."""
    before = _items(older)
    after = _items(newer)
    added = sorted(
        (item for reference, item in after.items() if reference not in before), key=_in_order
    )
    removed = sorted(
        (item for reference, item in before.items() if reference not in after), key=_in_order
    )
    changed = []
    for item in sorted((after[r] for r in after if r in before), key=_in_order):
        fields = _field_changes(before[item.reference], item)
        if fields:
            changed.append(
                ItemChange(
                    reference=item.reference,
                    before=before[item.reference],
                    after=item,
                    fields=fields,
                )
            )
    older_sections = list(older.sections.order_by("position", "pk").values_list("title", flat=True))
    newer_sections = list(newer.sections.order_by("position", "pk").values_list("title", flat=True))
    return VersionDiff(
        older=older,
        newer=newer,
        added=added,
        removed=removed,
        changed=changed,
        sections_added=[t for t in newer_sections if t not in older_sections],
        sections_removed=[t for t in older_sections if t not in newer_sections],
    )
