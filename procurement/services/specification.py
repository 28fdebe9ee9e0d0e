"""The common specification: admins edit a draft version's sections and line items, publish
it (which freezes it), and start the next draft as a copy of the latest published version."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from collab.audit import audit_record
from collab.dates import long_day
from collab.models import User
from collab.notifications.outbox import notify
from procurement import notifications as events
from procurement.errors import ProcurementRefused
from procurement.models import (
    LineItem,
    ProcurementRound,
    RoundStatus,
    SpecificationSection,
    SpecificationVersion,
    VersionStatus,
)
from procurement.services.common import check_draft, clean, locked_round, money


def _locked_draft(version: SpecificationVersion) -> tuple[ProcurementRound, SpecificationVersion]:
    """Lock the round, then the version, and refuse unless the version is a draft."""
    round = ProcurementRound.objects.select_for_update().get(pk=version.round_id)
    version = SpecificationVersion.objects.select_for_update().get(pk=version.pk)
    check_draft(version)
    return round, version


def _check_closed(round: ProcurementRound) -> None:
    if round.status == RoundStatus.CLOSED:
        raise ProcurementRefused("This round is closed; its specification is final.")


def _item_snapshot(item: LineItem) -> dict[str, Any]:
    return {
        "version": item.version.number,
        "section": item.section.title,
        "reference": item.reference,
        "requirement": item.requirement,
        "kind": item.kind,
        "unit": item.unit,
        "quantity_per_vehicle": str(item.quantity_per_vehicle),
        "estimated_unit_cost": money(item.estimated_unit_cost),
    }


# --- Sections ---------------------------------------------------------------------------------


def section_add(*, version: SpecificationVersion, actor: User, title: str) -> SpecificationSection:
    """A new section at the end of a draft specification."""
    title = title.strip()
    with transaction.atomic():
        round, version = _locked_draft(version)
        if same := version.sections.filter(title__iexact=title).first():
            raise ProcurementRefused(
                f"{version} already has a section called {same.title}.", field="title"
            )
        last = version.sections.aggregate(last=Max("position"))["last"]
        section = SpecificationSection(
            version=version, title=title, position=0 if last is None else last + 1
        )
        clean(section)
        section.save()
        audit_record(
            actor=actor,
            action="procurement.section_added",
            target=section,
            context=round,
            after={"version": version.number, "title": title},
        )
    return section


def section_remove(*, section: SpecificationSection, actor: User) -> None:
    """Remove a section of a draft that holds no line items."""
    with transaction.atomic():
        round, version = _locked_draft(section.version)
        section = SpecificationSection.objects.select_for_update().get(pk=section.pk)
        if count := section.line_items.count():
            raise ProcurementRefused(
                f"{section.title} holds {count} line item{'s' if count != 1 else ''}; remove or "
                "move them before removing the section."
            )
        audit_record(
            actor=actor,
            action="procurement.section_removed",
            target=section,
            context=round,
            before={"version": version.number, "title": section.title},
        )
        section.delete()


# --- Line items -------------------------------------------------------------------------------


def line_item_save(
    *,
    version: SpecificationVersion,
    actor: User,
    section: SpecificationSection,
    reference: str,
    requirement: str,
    kind: str,
    unit: str,
    quantity_per_vehicle: Decimal,
    estimated_unit_cost: Decimal,
    line_item: LineItem | None = None,
) -> LineItem:
    """Add a line item to a draft, or change one. Its reference is unique in the version."""
    reference = reference.strip()
    with transaction.atomic():
        round, version = _locked_draft(version)
        if section.version_id != version.pk:
            raise ProcurementRefused(f"Choose one of the sections of {version}.", field="section")
        before = None
        if line_item is None:
            last = version.line_items.aggregate(last=Max("position"))["last"]
            line_item = LineItem(version=version, position=0 if last is None else last + 1)
        else:
            line_item = LineItem.objects.select_for_update().get(pk=line_item.pk)
            if line_item.version_id != version.pk:
                raise ProcurementRefused(f"This line item is not part of {version}.")
            before = _item_snapshot(line_item)
        duplicate = version.line_items.filter(reference__iexact=reference).exclude(pk=line_item.pk)
        if reference and duplicate.exists():
            raise ProcurementRefused(
                f"{version} already has a line item {reference}; each reference is used once.",
                field="reference",
            )
        line_item.section = section
        line_item.reference = reference
        line_item.requirement = requirement.strip()
        line_item.kind = kind
        line_item.unit = unit.strip()
        line_item.quantity_per_vehicle = quantity_per_vehicle
        line_item.estimated_unit_cost = estimated_unit_cost
        clean(line_item)
        line_item.save()
        audit_record(
            actor=actor,
            action="procurement.line_item_added"
            if before is None
            else "procurement.line_item_changed",
            target=line_item,
            context=round,
            before=before,
            after=_item_snapshot(line_item),
        )
    return line_item


def line_item_remove(*, line_item: LineItem, actor: User) -> None:
    with transaction.atomic():
        round, version = _locked_draft(line_item.version)
        line_item = LineItem.objects.select_for_update().get(pk=line_item.pk)
        audit_record(
            actor=actor,
            action="procurement.line_item_removed",
            target=line_item,
            context=round,
            before=_item_snapshot(line_item),
        )
        line_item.delete()


# --- Versions ---------------------------------------------------------------------------------


def version_publish(
    *, version: SpecificationVersion, actor: User, change_summary: str = ""
) -> SpecificationVersion:
    """Freeze the draft. The first publication opens the round for the trusts' demand; each
    later one needs a summary of what changed, and becomes the version trusts order against."""
    change_summary = change_summary.strip()
    with transaction.atomic():
        round, version = _locked_draft(version)
        _check_closed(round)
        items = version.line_items.count()
        if not items:
            raise ProcurementRefused(
                f"{version} has no line items yet; add at least one before publishing it."
            )
        if version.number > 1 and not change_summary:
            raise ProcurementRefused(
                "Say what changed since the previous version, and why: trusts read this "
                "before they review their orders.",
                field="change_summary",
            )
        if round.status == RoundStatus.DRAFT and round.is_past_closing():
            raise ProcurementRefused(
                f"The closing date, {long_day(round.closing_date)}, has passed. Set a later "
                "closing date before publishing the specification."
            )
        version.status = VersionStatus.PUBLISHED
        version.change_summary = change_summary
        version.published_by = actor
        version.published_at = timezone.now()
        version.save(update_fields=["status", "change_summary", "published_by", "published_at"])
        opened = round.status == RoundStatus.DRAFT
        if opened:
            round.status = RoundStatus.OPEN
            round.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="procurement.version_published",
            target=version,
            context=round,
            before={
                "status": VersionStatus.DRAFT,
                "round_status": RoundStatus.DRAFT if opened else round.status,
            },
            after={
                "status": VersionStatus.PUBLISHED,
                "number": version.number,
                "line_items": items,
                "round_status": round.status,
            },
            reason=change_summary,
        )
        notify(events.specification_published, version, actor=actor)
    return version


def version_start_draft(*, round: ProcurementRound, actor: User) -> SpecificationVersion:
    """The next version, as a draft copied (sections and line items) from the latest published
    one. One draft at a time, so two admins never edit two drafts."""
    with transaction.atomic():
        round = locked_round(round)
        _check_closed(round)
        if draft := round.versions.filter(status=VersionStatus.DRAFT).first():
            raise ProcurementRefused(
                f"{draft} is already a draft; change it, or publish it before starting another."
            )
        latest = round.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()
        if latest is None:
            raise ProcurementRefused("There is no published version to start a new draft from.")
        version = SpecificationVersion.objects.create(
            round=round, number=latest.number + 1, created_by=actor
        )
        originals = list(latest.sections.order_by("position", "pk"))
        copies = SpecificationSection.objects.bulk_create(
            [
                SpecificationSection(version=version, title=s.title, position=s.position)
                for s in originals
            ]
        )
        sections = {original.pk: copy for original, copy in zip(originals, copies, strict=True)}
        LineItem.objects.bulk_create(
            [
                LineItem(
                    version=version,
                    section=sections[item.section_id],
                    reference=item.reference,
                    requirement=item.requirement,
                    kind=item.kind,
                    unit=item.unit,
                    quantity_per_vehicle=item.quantity_per_vehicle,
                    estimated_unit_cost=item.estimated_unit_cost,
                    position=item.position,
                )
                for item in latest.line_items.order_by("pk")
            ]
        )
        audit_record(
            actor=actor,
            action="procurement.draft_started",
            target=version,
            context=round,
            after={
                "number": version.number,
                "copied_from": latest.number,
                "sections": len(sections),
                "line_items": version.line_items.count(),
            },
        )
    return version
