"""What the procurement services share: row locks, the current version, input checks and the
snapshots their audit records keep."""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone

from collab.dates import long_day
from collab.models import Trust
from procurement.errors import ProcurementRefused
from procurement.models import (
    ItemKind,
    LineItem,
    ProcurementRound,
    RoundStatus,
    SpecificationVersion,
    TrustRequirement,
    VersionStatus,
)
from projects.models import Participation, ParticipationStatus

# A trust orders tens of ambulances a year; a bigger number is a typing slip, not an order.
MAX_UNITS_PER_YEAR = 10_000


def clean(obj: models.Model, *, exclude: list[str] | None = None) -> None:
    """`full_clean()`, refusing with the first message (and its field) instead of a
    ValidationError, so a view shows it next to the field."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ProcurementRefused(
            " ".join(messages), field=None if field == NON_FIELD_ERRORS else field
        ) from error


def money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


# --- Locks ------------------------------------------------------------------------------------
# Always in this order: round, then version, then requirement, then the request on it. Two
# changes to one round wait for each other instead of deadlocking.


def locked_round(round: ProcurementRound) -> ProcurementRound:
    return ProcurementRound.objects.select_for_update().get(pk=round.pk)


def locked_requirement(requirement: TrustRequirement) -> TrustRequirement:
    return TrustRequirement.objects.select_for_update().get(pk=requirement.pk)


# --- Versions ---------------------------------------------------------------------------------


def current_version(round: ProcurementRound) -> SpecificationVersion | None:
    """The latest published version: what trusts order against."""
    return (
        SpecificationVersion.objects.filter(round=round, status=VersionStatus.PUBLISHED)
        .order_by("-number")
        .first()
    )


def require_current_version(round: ProcurementRound) -> SpecificationVersion:
    version = current_version(round)
    if version is None:
        raise ProcurementRefused(
            "The specification has not been published yet; demand is entered against a "
            "published version."
        )
    return version


def check_draft(version: SpecificationVersion) -> None:
    if not version.is_draft:
        raise ProcurementRefused(
            f"{version} is published and cannot change. Start a new draft to change the "
            "specification."
        )


# --- Rounds and trusts ------------------------------------------------------------------------


def check_open_for_demand(round: ProcurementRound) -> None:
    """Trusts enter, change and confirm demand only while the round is open, up to and
    including its closing date."""
    if round.status == RoundStatus.DRAFT:
        raise ProcurementRefused(
            "This round's specification has not been published yet, so demand cannot be entered."
        )
    if round.status == RoundStatus.CLOSED:
        raise ProcurementRefused(
            "This round is closed. A change to a confirmed order is a request the programme "
            "admins decide."
        )
    if round.is_past_closing(timezone.localdate()):
        raise ProcurementRefused(
            f"The closing date, {long_day(round.closing_date)}, has passed; orders can no "
            "longer be entered or confirmed."
        )


def check_committed(round: ProcurementRound, trust: Trust) -> None:
    committed = Participation.objects.filter(
        project_id=round.project_id, trust=trust, status=ParticipationStatus.COMMITTED
    ).exists()
    if not committed:
        raise ProcurementRefused(
            f"{trust.short_name} is not committed to the project this round belongs to, so it "
            "cannot order in it."
        )


# --- Demand -----------------------------------------------------------------------------------


def checked_quantities(round: ProcurementRound, quantities: dict) -> dict[int, int]:
    """Units per delivery year: the round's years only, whole numbers from 0."""
    years = round.years
    checked: dict[int, int] = {}
    for year, units in quantities.items():
        try:
            year = int(year)
        except (TypeError, ValueError):
            year = None
        if year not in years:
            raise ProcurementRefused(
                f"Deliveries in this round are for {years[0]} to {years[-1]}; {year} is not "
                "one of its years.",
                field="quantities",
            )
        if isinstance(units, bool) or not isinstance(units, int):
            raise ProcurementRefused(
                f"Enter the units for {year} as a whole number, for example 12.",
                field="quantities",
            )
        if units < 0:
            raise ProcurementRefused(f"The units for {year} cannot be below 0.", field="quantities")
        if units > MAX_UNITS_PER_YEAR:
            raise ProcurementRefused(
                f"{units} units in {year} is more than a trust can order; enter at most "
                f"{MAX_UNITS_PER_YEAR}.",
                field="quantities",
            )
        checked[year] = units
    return dict(sorted(checked.items()))


def checked_optional_references(version: SpecificationVersion, references) -> list[str]:
    """The optional items a trust wants: each one an optional item of `version`."""
    references = sorted({str(reference).strip() for reference in references or []})
    optional = set(
        LineItem.objects.filter(
            version=version, kind=ItemKind.OPTIONAL, reference__in=references
        ).values_list("reference", flat=True)
    )
    if unknown := [reference for reference in references if reference not in optional]:
        what = "is not an optional item" if len(unknown) == 1 else "are not optional items"
        raise ProcurementRefused(
            f"{', '.join(unknown)} {what} of {version} of the specification.",
            field="optional_references",
        )
    return references


def replace_quantities(requirement: TrustRequirement, quantities: dict[int, int]) -> None:
    """The requirement's units per year become exactly these: no row of an earlier save stays."""
    requirement.quantities.all().delete()
    requirement.quantities.bulk_create(
        [
            requirement.quantities.model(requirement=requirement, year=year, units=units)
            for year, units in sorted(quantities.items())
        ]
    )


def quantities_of(requirement: TrustRequirement) -> dict[str, int]:
    return {str(q.year): q.units for q in requirement.quantities.order_by("year")}


def requirement_snapshot(requirement: TrustRequirement) -> dict[str, Any]:
    return {
        "version": requirement.version.number,
        "status": requirement.status,
        "quantities": quantities_of(requirement),
        "optional_references": list(requirement.optional_references),
    }
