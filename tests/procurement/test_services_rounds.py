"""Rounds: created on a running vehicles project with a first draft, edited, closed."""

import datetime

import pytest

from procurement.models import (
    STANDARD_SECTIONS,
    ProcurementRound,
    RoundStatus,
    VersionStatus,
)
from procurement.services import round_close, round_create, round_update
from projects.models import Category, JointProject, ProjectStatus
from tests.procurement.conftest import days
from tests.procurement.service_helpers import events_for, refused

pytestmark = pytest.mark.django_db


def _create(project, admin, **overrides):
    terms = {
        "title": "Double-crewed ambulances 2027 to 2030",
        "description": "One common double-crewed ambulance for the southern trusts.",
        "closing_date": days(45),
        "first_delivery_year": days(45).year + 1,
    }
    return round_create(project=project, actor=admin, **{**terms, **overrides})


def test_a_new_round_starts_as_a_draft_with_version_1_holding_the_standard_sections(
    vehicle_project, admin_of_southern
):
    round_ = _create(vehicle_project, admin_of_southern)

    assert round_.slug == "double-crewed-ambulances-2027-to-2030"
    assert round_.status == RoundStatus.DRAFT
    assert round_.delivery_years == 3
    assert round_.created_by == admin_of_southern
    [version] = round_.versions.all()
    assert (version.number, version.status) == (1, VersionStatus.DRAFT)
    assert list(version.sections.values_list("title", flat=True)) == list(STANDARD_SECTIONS)
    assert version.line_items.count() == 0
    [event] = events_for(round_, "procurement.round_created")
    assert event.actor == admin_of_southern
    assert event.after["closing_date"] == str(days(45))


def test_two_rounds_with_one_title_get_two_slugs(vehicle_project, admin_of_southern):
    first = _create(vehicle_project, admin_of_southern)
    second = _create(vehicle_project, admin_of_southern)

    assert (first.slug, second.slug) == (
        "double-crewed-ambulances-2027-to-2030",
        "double-crewed-ambulances-2027-to-2030-2",
    )


def test_a_round_belongs_to_a_vehicles_and_procurement_project(vehicle_project, admin_of_southern):
    JointProject.objects.filter(pk=vehicle_project.pk).update(
        category=Category.WORKFORCE_AND_WELLBEING
    )
    vehicle_project.refresh_from_db()

    with refused(match="Procurement rounds belong to vehicles and procurement projects"):
        _create(vehicle_project, admin_of_southern)


@pytest.mark.parametrize("status", [ProjectStatus.COMPLETED, ProjectStatus.CLOSED])
def test_a_finished_project_gets_no_new_round(vehicle_project, admin_of_southern, status):
    JointProject.objects.filter(pk=vehicle_project.pk).update(status=status)
    vehicle_project.refresh_from_db()

    with refused(match="a new round needs a project that is still running"):
        _create(vehicle_project, admin_of_southern)


def test_the_closing_date_cannot_have_passed(vehicle_project, admin_of_southern):
    with refused(match="The closing date has passed", field="closing_date"):
        _create(vehicle_project, admin_of_southern, closing_date=days(-1))


@pytest.mark.parametrize("years", [0, 11])
def test_a_round_covers_1_to_10_years(vehicle_project, admin_of_southern, years):
    with refused(match="1 to 10 years", field="delivery_years"):
        _create(vehicle_project, admin_of_southern, delivery_years=years)


def test_deliveries_cannot_start_before_the_round_closes(vehicle_project, admin_of_southern):
    with refused(match="the first delivery year must be", field="first_delivery_year"):
        _create(vehicle_project, admin_of_southern, first_delivery_year=days(45).year - 2)


def test_a_blank_title_is_refused_on_its_field(vehicle_project, admin_of_southern):
    with refused(match="This field cannot be blank.", field="title"):
        _create(vehicle_project, admin_of_southern, title="  ")


def test_updating_a_round_keeps_its_slug_and_records_before_and_after(
    open_round, admin_of_southern
):
    updated = round_update(
        round=open_round,
        actor=admin_of_southern,
        title="DCA 2027",
        description="Shorter.",
        closing_date=days(40),
    )

    assert (updated.slug, updated.title, updated.closing_date) == ("dca-2027", "DCA 2027", days(40))
    [event] = events_for(open_round, "procurement.round_updated")
    assert event.before["title"] == "Double-crewed ambulances 2027 to 2030"
    assert (event.after["title"], event.after["closing_date"]) == ("DCA 2027", str(days(40)))


def test_an_unchanged_closing_date_in_the_past_does_not_block_other_edits(
    open_round, admin_of_southern
):
    ProcurementRound.objects.filter(pk=open_round.pk).update(closing_date=days(-2))
    open_round.refresh_from_db()

    round_update(
        round=open_round,
        actor=admin_of_southern,
        title="Renamed",
        description=open_round.description,
        closing_date=days(-2),
    )

    assert ProcurementRound.objects.get(pk=open_round.pk).title == "Renamed"
    with refused(match="The closing date has passed", field="closing_date"):
        round_update(
            round=open_round,
            actor=admin_of_southern,
            title="Renamed",
            description=open_round.description,
            closing_date=days(-1),
        )


def test_closing_an_open_round(open_round, admin_of_southern):
    closed = round_close(round=open_round, actor=admin_of_southern)

    assert closed.status == RoundStatus.CLOSED
    assert closed.closed_at is not None
    [event] = events_for(open_round, "procurement.round_closed")
    assert (event.before, event.after["status"]) == ("open", "closed")


def test_only_an_open_round_can_be_closed_and_a_closed_one_cannot_change(
    draft_round, admin_of_southern
):
    with refused(match="Only an open round can be closed; this one is draft."):
        round_close(round=draft_round, actor=admin_of_southern)

    ProcurementRound.objects.filter(pk=draft_round.pk).update(status=RoundStatus.CLOSED)
    with refused(match="This round is closed and cannot change."):
        round_update(
            round=draft_round,
            actor=admin_of_southern,
            title="Renamed",
            description="x",
            closing_date=draft_round.closing_date + datetime.timedelta(days=1),
        )
