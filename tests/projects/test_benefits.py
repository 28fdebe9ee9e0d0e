"""What a project is expected to give, or has given, each trust."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from collab.audit import audit_context
from projects.errors import TransitionRefused
from projects.models import Benefit, BenefitKind
from projects.services import benefit_record
from tests.projects.helpers import events_for, refused


def _record(project, trust, actor, *, kind=BenefitKind.EXPECTED, hours="1200", money="45000"):
    return benefit_record(
        project=project,
        trust=trust,
        kind=kind,
        actor=actor,
        staff_hours_released=Decimal(hours),
        money_saved=Decimal(money),
        measure="  12% fewer conveyances for falls. ",
    )


def test_a_benefit_is_recorded_with_an_audit_record(open_project, las, admin_of_southern):
    benefit = _record(open_project, las, admin_of_southern)

    benefit.refresh_from_db()
    assert (benefit.staff_hours_released, benefit.money_saved) == (
        Decimal("1200.0"),
        Decimal("45000.00"),
    )
    assert benefit.measure == "12% fewer conveyances for falls."
    assert benefit.recorded_by == admin_of_southern
    [event] = events_for(benefit)
    assert (event.action, event.actor, event.trust) == (
        "benefit.expected_recorded",
        admin_of_southern,
        las,
    )
    assert event.context == audit_context(open_project)
    assert event.before is None
    assert Decimal(event.after.pop("staff_hours_released")) == Decimal("1200")
    assert event.after == {"money_saved": "45000.00", "measure": "12% fewer conveyances for falls."}


def test_recording_a_benefit_again_replaces_it(active_project, las, admin_of_southern, lead_of_las):
    first = _record(active_project, las, admin_of_southern)
    second = _record(active_project, las, lead_of_las, hours="800", money="30000.5")

    assert second.pk == first.pk
    assert Benefit.objects.filter(project=active_project, trust=las).count() == 1
    second.refresh_from_db()
    assert (second.staff_hours_released, second.money_saved) == (
        Decimal("800.0"),
        Decimal("30000.50"),
    )
    assert second.recorded_by == lead_of_las
    replaced = events_for(second)[-1]
    assert replaced.actor == lead_of_las
    assert Decimal(replaced.before.pop("staff_hours_released")) == Decimal("1200")
    assert replaced.before == {
        "money_saved": "45000.00",
        "measure": "12% fewer conveyances for falls.",
    }
    assert Decimal(replaced.after["staff_hours_released"]) == Decimal("800")
    assert replaced.after["money_saved"] == "30000.50"


def test_expected_and_realised_benefits_are_kept_apart(active_project, las, admin_of_southern):
    _record(active_project, las, admin_of_southern, kind=BenefitKind.EXPECTED, hours="1000")
    _record(active_project, las, admin_of_southern, kind=BenefitKind.REALISED, hours="700")

    hours = dict(
        Benefit.objects.filter(project=active_project, trust=las).values_list(
            "kind", "staff_hours_released"
        )
    )
    assert hours == {
        BenefitKind.EXPECTED: Decimal("1000.0"),
        BenefitKind.REALISED: Decimal("700.0"),
    }


def test_benefits_are_not_recorded_for_a_draft(draft_project, las, admin_of_southern):
    with refused(TransitionRefused, match="Benefits are recorded once the project is open."):
        _record(draft_project, las, admin_of_southern)


def test_a_trust_with_no_part_in_the_project_has_no_benefit_to_record(
    open_project, yas, admin_of_southern
):
    with refused(TransitionRefused, match="YAS has no part in this project.", field="trust"):
        _record(open_project, yas, admin_of_southern)


@pytest.mark.parametrize(
    ("hours", "money", "field"),
    [("-1", "0", "staff_hours_released"), ("0", "-0.01", "money_saved")],
)
def test_negative_benefits_are_refused_and_nothing_is_saved(
    open_project, las, admin_of_southern, hours, money, field
):
    with refused(ValidationError, match="greater than or equal to 0", field=field):
        _record(open_project, las, admin_of_southern, hours=hours, money=money)


def test_a_refused_replacement_keeps_the_earlier_figures(open_project, las, admin_of_southern):
    _record(open_project, las, admin_of_southern, hours="500")
    with refused(ValidationError, match="greater than or equal to 0", field="money_saved"):
        _record(open_project, las, admin_of_southern, hours="900", money="-5")
    assert Benefit.objects.get(project=open_project, trust=las).staff_hours_released == Decimal(
        "500.0"
    )
