"""The combined demand of a round: units by trust and year, what they cost, and how standard
they are.

Everything is priced against the round's current version (its latest published one):

- a trust's vehicle unit cost is the cost per vehicle of every mandatory item, plus that of the
  optional items it chose, plus the cost difference of each of its approved variations.
  Choices and variations on references that are not in the current version are ignored;
- its total value is that unit cost (to the penny) times its units over the delivery years;
- the standardisation index has two shares: of units, the units of trusts with no approved
  variation over all units; of line items, the items every trust agrees on over all items. An
  item is agreed when no trust with a requirement has an approved variation on it and, for an
  optional item, when the trusts with a requirement all chose it or none did.

`demand_summary` runs at most six queries however many trusts, items and variations there are,
and returns the figures the summary page, its chart and table, and the demand CSV all read.
"""

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch

from collab.models import Trust
from procurement.models import (
    DecisionStatus,
    LineItem,
    ProcurementRound,
    SpecificationVersion,
    TrustRequirement,
    VariationRequest,
)
from procurement.selectors import current_version, participating_trusts

PENCE = Decimal("0.01")
SHARE_PLACES = Decimal("0.0001")
PERCENT_PLACES = Decimal("0.1")

NO_REQUIREMENT = "No demand entered"


def to_pence(amount: Decimal) -> Decimal:
    return amount.quantize(PENCE, rounding=ROUND_HALF_UP)


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def _percent(share: Decimal | None) -> Decimal | None:
    if share is None:
        return None
    return (share * 100).quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TrustDemand:
    """One participating trust's line of the summary. A trust with no requirement yet has one
    too, with no units, priced at the standard vehicle."""

    trust: Trust
    requirement: TrustRequirement | None
    version_number: int | None  # the version the requirement was made against
    status_label: str
    units_by_year: list[int]
    total_units: int
    vehicle_unit_cost: Decimal
    total_value: Decimal
    approved_variations: int  # on items of the current version: the ones that are priced
    pending_variations: int
    on_current_version: bool = False

    @property
    def is_standard(self) -> bool:
        """Built to the common specification: no approved variation."""
        return self.approved_variations == 0

    @property
    def is_confirmed(self) -> bool:
        return self.requirement is not None and self.requirement.is_confirmed


# --- The chart -------------------------------------------------------------------------------
# A horizontal stacked bar per trust, a segment per delivery year, drawn by the template as
# SVG from these numbers (presentation attributes only: the CSP forbids inline styles).

CHART_WIDTH = 640
CHART_LABEL_WIDTH = 90  # trust short names, left of the bars
CHART_BAR_AREA = 480
CHART_LEGEND_HEIGHT = 32
CHART_BAR_HEIGHT = 24
CHART_ROW_PITCH = 36
CHART_AXIS_HEIGHT = 32
CHART_LEGEND_PITCH = 90
CHART_MIN_LABELLED_WIDTH = 24  # narrower segments carry no number inside them

# NHS identity colours with at least 3:1 contrast on white (WCAG 1.4.11), one per year.
YEAR_FILLS = (
    "#005eb8",
    "#330072",
    "#007f3b",
    "#ae2573",
    "#425563",
    "#003087",
    "#006747",
    "#7c2855",
    "#00a499",
    "#768692",
)


@dataclass(frozen=True)
class ChartSegment:
    year: int
    units: int
    x: int
    width: int
    fill: str
    text_x: int  # centre of the segment, for the number inside it
    show_text: bool
    title: str  # "LAS, 2027: 4 units", for the segment's <title>


@dataclass(frozen=True)
class ChartRow:
    trust_label: str
    trust_name: str
    total_units: int
    y: int  # top of the bar
    text_y: int  # baseline of the trust label, the numbers and the total
    total_x: int  # where the total is written, just after the bar
    segments: list[ChartSegment]


@dataclass(frozen=True)
class ChartTick:
    units: int
    x: int


@dataclass(frozen=True)
class LegendEntry:
    year: int
    fill: str
    x: int  # the swatch; its label starts 20 to the right


@dataclass(frozen=True)
class DemandChart:
    width: int
    height: int
    bars_x: int  # where the bars (and the axis) start
    bars_width: int
    bar_height: int
    axis_y: int  # the axis line; tick labels sit 18 below it
    max_units: int  # the axis runs from 0 to this
    rows: list[ChartRow]
    ticks: list[ChartTick]
    legend: list[LegendEntry]

    @property
    def has_data(self) -> bool:
        return any(row.total_units for row in self.rows)


def _tick_step(maximum: int) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving at most five ticks."""
    if maximum <= 5:
        return 1
    raw = maximum / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if multiple * magnitude >= raw:
            return int(multiple * magnitude)
    return int(10 * magnitude)  # pragma: no cover - the loop always returns


def demand_chart(years: list[int], rows: list[TrustDemand]) -> DemandChart:
    """The stacked bars of units by trust and year, scaled to a round axis."""
    largest = max((row.total_units for row in rows), default=0)
    step = _tick_step(largest)
    axis_max = max(step, math.ceil(largest / step) * step)
    scale = CHART_BAR_AREA / axis_max

    def x_of(units: int) -> int:
        return CHART_LABEL_WIDTH + round(units * scale)

    chart_rows = []
    for index, row in enumerate(rows):
        top = CHART_LEGEND_HEIGHT + index * CHART_ROW_PITCH
        segments = []
        running = 0
        for year_index, (year, units) in enumerate(zip(years, row.units_by_year, strict=True)):
            start, end = x_of(running), x_of(running + units)
            running += units
            if not units:
                continue
            segments.append(
                ChartSegment(
                    year=year,
                    units=units,
                    x=start,
                    width=end - start,
                    fill=YEAR_FILLS[year_index % len(YEAR_FILLS)],
                    text_x=(start + end) // 2,
                    show_text=end - start >= CHART_MIN_LABELLED_WIDTH,
                    title=f"{row.trust.short_name}, {year}: {units} "
                    f"{'unit' if units == 1 else 'units'}",
                )
            )
        chart_rows.append(
            ChartRow(
                trust_label=row.trust.short_name,
                trust_name=row.trust.name,
                total_units=row.total_units,
                y=top,
                text_y=top + CHART_BAR_HEIGHT // 2 + 5,
                total_x=x_of(row.total_units) + 6,
                segments=segments,
            )
        )
    axis_y = CHART_LEGEND_HEIGHT + len(rows) * CHART_ROW_PITCH
    return DemandChart(
        width=CHART_WIDTH,
        height=axis_y + CHART_AXIS_HEIGHT,
        bars_x=CHART_LABEL_WIDTH,
        bars_width=CHART_BAR_AREA,
        bar_height=CHART_BAR_HEIGHT,
        axis_y=axis_y,
        max_units=axis_max,
        rows=chart_rows,
        ticks=[ChartTick(units=u, x=x_of(u)) for u in range(0, axis_max + 1, step)],
        legend=[
            LegendEntry(
                year=year,
                fill=YEAR_FILLS[i % len(YEAR_FILLS)],
                x=CHART_LABEL_WIDTH + i * CHART_LEGEND_PITCH,
            )
            for i, year in enumerate(years)
        ],
    )


# --- The summary -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DemandSummary:
    round: ProcurementRound
    version: SpecificationVersion | None  # the current version everything is priced against
    years: list[int]
    rows: list[TrustDemand]
    units_by_year: list[int]  # all trusts, per year
    total_units: int
    total_value: Decimal
    standard_vehicle_cost: Decimal  # mandatory items only
    units_share: Decimal | None  # 0..1, None when no units are ordered
    items_share: Decimal | None  # 0..1, None when the version has no items
    agreed_items: int
    item_count: int
    disagreed_references: list[str] = field(default_factory=list)
    chart: DemandChart | None = None

    @property
    def version_number(self) -> int | None:
        return self.version.number if self.version else None

    @property
    def average_vehicle_cost(self) -> Decimal | None:
        """Total value over total units, to the penny; None when nothing is ordered."""
        if not self.total_units:
            return None
        return to_pence(self.total_value / self.total_units)

    @property
    def units_share_percent(self) -> Decimal | None:
        return _percent(self.units_share)

    @property
    def items_share_percent(self) -> Decimal | None:
        return _percent(self.items_share)

    @property
    def standard_units(self) -> int:
        return sum(row.total_units for row in self.rows if row.is_standard)

    @property
    def confirmed_count(self) -> int:
        return sum(1 for row in self.rows if row.is_confirmed)


def _requirements(round_: ProcurementRound, trusts: list[Trust]) -> dict[int, TrustRequirement]:
    """Three queries: the requirements, their quantities, their live variations."""
    requirements = (
        TrustRequirement.objects.filter(round=round_, trust__in=[t.pk for t in trusts])
        .select_related("version")
        .prefetch_related(
            "quantities",
            Prefetch(
                "variations",
                queryset=VariationRequest.objects.filter(
                    status__in=[DecisionStatus.APPROVED, DecisionStatus.PENDING]
                ),
                to_attr="live_variations",
            ),
        )
    )
    return {requirement.trust_id: requirement for requirement in requirements}


def demand_summary(round_: ProcurementRound) -> DemandSummary:
    """Units, value and the standardisation index of the round's participating trusts."""
    version = current_version(round_)
    items = list(LineItem.objects.filter(version=version)) if version else []
    trusts = participating_trusts(round_)
    requirements = _requirements(round_, trusts) if trusts else {}
    years = round_.years

    mandatory_cost = sum((i.cost_per_vehicle for i in items if not i.is_optional), Decimal(0))
    optional_costs = {i.reference: i.cost_per_vehicle for i in items if i.is_optional}
    references = {i.reference for i in items}

    rows: list[TrustDemand] = []
    choosers: dict[str, int] = dict.fromkeys(optional_costs, 0)
    varied: set[str] = set()
    for trust in trusts:
        requirement = requirements.get(trust.pk)
        if requirement is None:
            rows.append(
                TrustDemand(
                    trust=trust,
                    requirement=None,
                    version_number=None,
                    status_label=NO_REQUIREMENT,
                    units_by_year=[0] * len(years),
                    total_units=0,
                    vehicle_unit_cost=to_pence(mandatory_cost),
                    total_value=to_pence(Decimal(0)),
                    approved_variations=0,
                    pending_variations=0,
                )
            )
            continue
        by_year = {q.year: q.units for q in requirement.quantities.all()}
        units_by_year = [by_year.get(year, 0) for year in years]
        chosen = [r for r in dict.fromkeys(requirement.optional_references) if r in optional_costs]
        for reference in chosen:
            choosers[reference] += 1
        approved = [
            v
            for v in requirement.live_variations
            if v.status == DecisionStatus.APPROVED and v.reference in references
        ]
        varied.update(v.reference for v in approved)
        unit_cost = to_pence(
            mandatory_cost
            + sum((optional_costs[r] for r in chosen), Decimal(0))
            + sum((v.cost_difference_per_vehicle for v in approved), Decimal(0))
        )
        total_units = sum(units_by_year)
        rows.append(
            TrustDemand(
                trust=trust,
                requirement=requirement,
                version_number=requirement.version.number,
                status_label=requirement.get_status_display(),
                units_by_year=units_by_year,
                total_units=total_units,
                vehicle_unit_cost=unit_cost,
                total_value=to_pence(unit_cost * total_units),
                approved_variations=len(approved),
                pending_variations=sum(
                    1 for v in requirement.live_variations if v.status == DecisionStatus.PENDING
                ),
                on_current_version=version is not None and requirement.version_id == version.pk,
            )
        )

    with_requirement = sum(1 for row in rows if row.requirement is not None)
    disagreed = [
        item.reference
        for item in items
        if item.reference in varied
        or (item.is_optional and choosers[item.reference] not in (0, with_requirement))
    ]
    total_units = sum(row.total_units for row in rows)
    standard_units = sum(row.total_units for row in rows if row.is_standard)
    return DemandSummary(
        round=round_,
        version=version,
        years=years,
        rows=rows,
        units_by_year=[sum(row.units_by_year[i] for row in rows) for i in range(len(years))],
        total_units=total_units,
        total_value=sum((row.total_value for row in rows), to_pence(Decimal(0))),
        standard_vehicle_cost=to_pence(mandatory_cost),
        units_share=_share(standard_units, total_units),
        items_share=_share(len(items) - len(disagreed), len(items)),
        agreed_items=len(items) - len(disagreed),
        item_count=len(items),
        disagreed_references=disagreed,
        chart=demand_chart(years, rows),
    )
