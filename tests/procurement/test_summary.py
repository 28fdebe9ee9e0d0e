"""The combined demand, priced and indexed on known data (see tests/procurement/demand_builders.py
for the figures worked by hand)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procurement.models import DecisionStatus, ProcurementRound, RoundStatus, VersionStatus
from procurement.summary import NO_REQUIREMENT, demand_summary
from projects.models import Participation, ParticipationStatus
from tests.factories import TrustFactory
from tests.procurement.conftest import FIRST_SPECIFICATION, write_version
from tests.procurement.demand_builders import known_demand, make_requirement, make_variation


@pytest.fixture
def demand(open_round, las, secamb, lead_of_las, lead_of_secamb, admin_of_southern):
    return known_demand(open_round, las, secamb, lead_of_las, lead_of_secamb, admin_of_southern)


def _row(summary, trust):
    return next(row for row in summary.rows if row.trust == trust)


def test_each_trust_is_priced_with_its_options_and_approved_variations_only(
    open_round, demand, las, secamb
):
    summary = demand_summary(open_round)

    las_row, secamb_row = _row(summary, las), _row(summary, secamb)
    assert las_row.units_by_year == [4, 5, 6]
    assert las_row.total_units == 15
    # 72,900 mandatory + 900 for EL-02 + 1,200 approved; the rejected +5,000 does not count.
    assert las_row.vehicle_unit_cost == Decimal("75000.00")
    assert las_row.total_value == Decimal("1125000.00")
    assert las_row.approved_variations == 1
    assert las_row.pending_variations == 0
    assert not las_row.is_standard
    # The pending +300 does not count until it is approved.
    assert secamb_row.units_by_year == [2, 2, 2]
    assert secamb_row.vehicle_unit_cost == Decimal("72900.00")
    assert secamb_row.total_value == Decimal("437400.00")
    assert secamb_row.approved_variations == 0
    assert secamb_row.pending_variations == 1
    assert secamb_row.is_standard


def test_the_totals_and_the_standardisation_index_match_the_hand_computed_figures(
    open_round, demand
):
    summary = demand_summary(open_round)

    assert summary.years == [2027, 2028, 2029]
    assert summary.units_by_year == [6, 7, 8]
    assert summary.total_units == 21
    assert summary.total_value == Decimal("1562400.00")
    assert summary.average_vehicle_cost == Decimal("74400.00")
    assert summary.standard_vehicle_cost == Decimal("72900.00")
    assert summary.units_share == Decimal("0.2857")  # 6 of 21 units have no approved variation
    assert summary.units_share_percent == Decimal("28.6")
    assert summary.item_count == 5
    assert summary.agreed_items == 3
    assert summary.items_share == Decimal("0.6000")
    assert summary.items_share_percent == Decimal("60.0")
    assert summary.disagreed_references == ["EL-02", "ST-01"]
    assert summary.version_number == 1
    assert [row.trust.short_name for row in summary.rows] == ["LAS", "SECAmb"]


def test_money_is_decimal_to_the_penny(open_round, demand):
    summary = demand_summary(open_round)

    for amount in [
        summary.total_value,
        summary.average_vehicle_cost,
        *(row.vehicle_unit_cost for row in summary.rows),
        *(row.total_value for row in summary.rows),
    ]:
        assert isinstance(amount, Decimal)
        assert amount.as_tuple().exponent == -2


def test_approving_the_pending_variation_changes_the_figures(open_round, demand, secamb):
    demand.pending.status = DecisionStatus.APPROVED
    demand.pending.save()

    summary = demand_summary(open_round)

    assert _row(summary, secamb).vehicle_unit_cost == Decimal("73200.00")
    assert summary.total_value == Decimal("1125000.00") + 6 * Decimal("73200.00")
    assert summary.units_share == Decimal("0.0000")
    assert summary.agreed_items == 2  # EL-01 now varied too
    assert summary.items_share == Decimal("0.4000")


def test_an_optional_item_every_trust_chose_is_agreed(open_round, demand, secamb):
    demand.secamb.optional_references = ["EL-02"]
    demand.secamb.save()

    summary = demand_summary(open_round)

    assert _row(summary, secamb).vehicle_unit_cost == Decimal("73800.00")
    assert summary.disagreed_references == ["ST-01"]
    assert summary.items_share == Decimal("0.8000")


def test_a_trust_without_a_requirement_has_an_empty_row_and_no_say_on_agreement(
    open_round, las, secamb, lead_of_las
):
    make_requirement(open_round, las, lead_of_las, [1, 0, 1], options=["EL-02"])

    summary = demand_summary(open_round)

    secamb_row = _row(summary, secamb)
    assert secamb_row.requirement is None
    assert secamb_row.status_label == NO_REQUIREMENT
    assert secamb_row.units_by_year == [0, 0, 0]
    assert secamb_row.total_value == Decimal("0.00")
    assert secamb_row.vehicle_unit_cost == Decimal("72900.00")
    # LAS is the only trust with a requirement, so its choice of EL-02 is everyone's.
    assert summary.items_share == Decimal("1.0000")
    assert summary.units_share == Decimal("1.0000")
    assert summary.total_value == 2 * Decimal("73800.00")


def test_with_no_demand_there_is_no_share_of_units(open_round):
    summary = demand_summary(open_round)

    assert summary.total_units == 0
    assert summary.units_share is None
    assert summary.average_vehicle_cost is None
    assert summary.items_share == Decimal("1.0000")
    assert not summary.chart.has_data


def test_a_draft_round_has_no_priced_items(draft_round):
    summary = demand_summary(draft_round)

    assert summary.version is None
    assert summary.item_count == 0
    assert summary.items_share is None
    assert summary.standard_vehicle_cost == Decimal("0.00")


def test_requirements_are_priced_against_the_current_version_and_keep_their_own(
    open_round, demand, las, admin_of_southern
):
    # Version 2 drops the optional EL-02 and ST-01, LAS's variation; BV-02 costs 2,750.
    items = [
        ("BV-02", *FIRST_SPECIFICATION[1][1:6], "2750.00") if row[0] == "BV-02" else row
        for row in FIRST_SPECIFICATION
        if row[0] not in ("EL-02", "ST-01")
    ]
    write_version(open_round, 2, admin_of_southern, items=items)

    summary = demand_summary(open_round)

    las_row = _row(summary, las)
    assert las_row.version_number == 1
    assert not las_row.on_current_version
    # 48,000 + 2,750 + 1,400: the choice and the variation on items now gone are ignored.
    assert las_row.vehicle_unit_cost == Decimal("52150.00")
    assert las_row.approved_variations == 0
    assert summary.version_number == 2
    assert summary.item_count == 3
    assert summary.units_share == Decimal("1.0000")


def test_only_committed_trusts_count(open_round, demand, vehicle_project, secamb):
    Participation.objects.filter(project=vehicle_project, trust=secamb).update(
        status=ParticipationStatus.WITHDRAWN
    )

    summary = demand_summary(open_round)

    assert [row.trust.short_name for row in summary.rows] == ["LAS"]
    assert summary.total_units == 15
    assert summary.total_value == Decimal("1125000.00")


def test_the_chart_stacks_each_trusts_years_on_a_round_axis(open_round, demand):
    chart = demand_summary(open_round).chart

    assert chart.has_data
    assert [row.trust_label for row in chart.rows] == ["LAS", "SECAmb"]
    assert [tick.units for tick in chart.ticks] == [0, 5, 10, 15]
    assert chart.max_units == 15
    las_bar = chart.rows[0]
    assert [s.units for s in las_bar.segments] == [4, 5, 6]
    # The segments tile the bar: each starts where the last ended, and the full bar (15 units)
    # spans the whole bar area.
    assert las_bar.segments[0].x == chart.bars_x
    for left, right in zip(las_bar.segments, las_bar.segments[1:], strict=False):
        assert right.x == left.x + left.width
    last = las_bar.segments[-1]
    assert last.x + last.width == chart.bars_x + chart.bars_width
    assert sum(s.width for s in chart.rows[1].segments) == round(6 * chart.bars_width / 15)
    assert las_bar.segments[0].title == "LAS, 2027: 4 units"
    assert [entry.year for entry in chart.legend] == [2027, 2028, 2029]
    assert len({entry.fill for entry in chart.legend}) == 3
    assert chart.rows[1].y > chart.rows[0].y
    assert chart.height > chart.axis_y > chart.rows[-1].y


def _committed_trust(project, n: int):
    trust = TrustFactory(short_name=f"QC{n}", ods_code=f"Q{n:02d}")
    Participation.objects.create(project=project, trust=trust, status=ParticipationStatus.COMMITTED)
    return trust


def _spread(round_, project, author, trusts: int, items: int) -> None:
    """Trusts beyond LAS and SECAmb, and a version 2 of `items` items; every trust orders,
    chooses an option and has an approved and a pending variation."""
    for n in range(trusts):
        _committed_trust(project, n)
    spec = [
        (f"IT-{n:02d}", f"Section {n % 7}", f"Item {n}", "optional" if n % 4 else "mandatory")
        + ("each", "1", "100.00")
        for n in range(items)
    ]
    version = write_version(round_, 2, author, items=spec)
    for trust in project.participations.filter(status=ParticipationStatus.COMMITTED):
        requirement = make_requirement(
            round_, trust.trust, author, [1, 2, 3], options=["IT-01"], version=version
        )
        make_variation(requirement, "IT-00", "10.00", DecisionStatus.APPROVED, author)
        make_variation(requirement, "IT-02", "20.00", DecisionStatus.PENDING, author)


def _queries(round_) -> int:
    with CaptureQueriesContext(connection) as queries:
        demand_summary(round_)
    return len(queries)


@pytest.mark.parametrize(("trusts", "items"), [(0, 5), (3, 40)])
def test_the_summary_runs_six_queries_whatever_the_size(
    open_round, vehicle_project, admin_of_southern, trusts, items
):
    _spread(open_round, vehicle_project, admin_of_southern, trusts, items)

    summary = demand_summary(open_round)
    assert len(summary.rows) == 2 + trusts
    assert summary.item_count == items

    assert _queries(open_round) == 6


def test_the_query_count_is_the_same_for_2_trusts_and_5_items_as_for_5_and_40(
    open_round, vehicle_project, admin_of_southern, las, secamb, lead_of_las, lead_of_secamb
):
    known_demand(open_round, las, secamb, lead_of_las, lead_of_secamb, admin_of_southern)
    small = _queries(open_round)

    large_round = ProcurementRound.objects.create(
        slug="dca-large",
        project=vehicle_project,
        title="A larger round",
        description="More trusts, more items.",
        status=RoundStatus.OPEN,
        closing_date=open_round.closing_date,
        first_delivery_year=2027,
        created_by=admin_of_southern,
    )
    write_version(large_round, 1, admin_of_southern, items=FIRST_SPECIFICATION)
    _spread(large_round, vehicle_project, admin_of_southern, trusts=3, items=40)
    assert len(demand_summary(large_round).rows) == 5
    assert large_round.versions.filter(status=VersionStatus.PUBLISHED).count() == 2

    assert _queries(large_round) == small
