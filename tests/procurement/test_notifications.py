"""Who each procurement event tells (and who it does not), and the closing-date ladder: 14 days
before, 3 days before and on the day, once per rung, to leads of trusts not yet confirmed."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from collab.models import Delivery, DeliveryStatus, Notification, NotificationCategory, Role
from procurement.models import ProcurementRound, RoundStatus
from procurement.reminders import (
    closing_date_remind,
    closing_step,
    closing_step_expression,
    rounds_due_a_closing_reminder,
)
from procurement.services import (
    change_request_create,
    change_request_decide,
    requirement_confirm,
    requirement_save,
    variation_decide,
    version_publish,
)
from procurement.tasks import send_closing_date_reminders
from tests.factories import RoleFactory, UserFactory
from tests.notifications.helpers import told
from tests.procurement.service_helpers import (
    publish_second_version,
    refused,
)

pytestmark = pytest.mark.django_db

LEADS = {"lead.las@example.org", "lead.secamb@example.org"}
ADMIN = {"admin.southern@example.org"}
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def everyone(lead_of_las, staff_of_las, lead_of_secamb, lead_of_yas, admin_of_northern):
    """The people who must not be told, alongside those who must: created up front."""


# --- Events -----------------------------------------------------------------------------------


def test_publishing_the_specification_tells_the_leads_of_committed_trusts(
    draft_round, admin_of_southern, everyone
):
    version = version_publish(version=draft_round.versions.get(), actor=admin_of_southern)

    assert told("procurement.specification_published") == LEADS
    notification = Notification.objects.get(
        kind="procurement.specification_published", recipient__email="lead.las@example.org"
    )
    assert notification.category == NotificationCategory.PROCUREMENT
    assert notification.title == f"Specification published: {draft_round.title}"
    assert notification.url == reverse(
        "procurement:specification", kwargs={"round_slug": draft_round.slug}
    )
    assert "London Ambulance Service NHS Trust" in notification.reason
    assert notification.group_label == draft_round.project.title
    assert notification.target_id == version.pk
    deliveries = Delivery.objects.filter(notification__kind="procurement.specification_published")
    assert list(deliveries.values_list("status", flat=True)) == [DeliveryStatus.PENDING] * 2


def test_the_person_who_publishes_is_not_told_even_when_they_also_lead_a_trust(
    draft_round, las, southern, everyone
):
    admin_and_lead = UserFactory(email="admin.and.lead@example.org", home_trust=las)
    RoleFactory(user=admin_and_lead, role=Role.PROGRAMME_ADMIN, collaboration=southern)
    RoleFactory(user=admin_and_lead, role=Role.TRUST_LEAD, trust=las)

    version_publish(version=draft_round.versions.get(), actor=admin_and_lead)

    assert told("procurement.specification_published") == LEADS


def test_a_new_version_links_the_leads_to_what_changed(open_round, admin_of_southern, everyone):
    publish_second_version(open_round, admin_of_southern)

    assert told("procurement.specification_published") == LEADS
    notification = Notification.objects.filter(kind="procurement.specification_published").first()
    changes = reverse("procurement:specification_changes", kwargs={"round_slug": open_round.slug})
    assert notification.url == f"{changes}?from=1&to=2"
    assert "Revised lighting." in notification.body


def test_a_trust_asking_for_a_variation_tells_the_programme_admins_of_the_project(
    las_variation, admin_of_southern, everyone
):
    assert told("procurement.variation_requested") == ADMIN
    notification = Notification.objects.get(kind="procurement.variation_requested")
    assert notification.title == f"LAS asks to vary EL-01 in {las_variation.requirement.round}"
    assert notification.url == las_variation.get_decide_url()
    assert "£700.00" in notification.body


@pytest.mark.parametrize("approve", [True, False])
def test_a_variation_decision_tells_the_trust_not_the_admin_or_other_trusts(
    las_variation, admin_of_southern, everyone, approve
):
    variation_decide(
        variation=las_variation, actor=admin_of_southern, approve=approve, reason="Board view."
    )

    assert told("procurement.variation_decided") == {"lead.las@example.org"}
    notification = Notification.objects.get(kind="procurement.variation_decided")
    verdict = "Approved" if approve else "Rejected"
    assert notification.title == f"{verdict}: LAS's variation on EL-01"
    assert "Board view." in notification.body
    assert notification.url == las_variation.requirement.get_absolute_url()


def test_confirming_an_order_tells_the_programme_admins(las_order, lead_of_las, everyone):
    requirement_confirm(requirement=las_order, actor=lead_of_las, confirmed=True)

    assert told("procurement.requirement_confirmed") == ADMIN
    notification = Notification.objects.get(kind="procurement.requirement_confirmed")
    assert notification.title == f"LAS confirmed its order in {las_order.round}"
    assert notification.body.startswith("9 vehicles against Version 1")


def test_a_change_request_and_its_decision(
    confirmed_las_order, lead_of_las, admin_of_southern, everyone
):
    change = change_request_create(
        requirement=confirmed_las_order,
        actor=lead_of_las,
        quantities={2027: 5},
        optional_references=[],
        reason="A station closes.",
    )
    assert told("procurement.change_requested") == ADMIN
    assert Notification.objects.get(kind="procurement.change_requested").url == (
        change.get_decide_url()
    )

    change_request_decide(
        change_request=change, actor=admin_of_southern, approve=True, reason="Agreed."
    )
    assert told("procurement.change_decided") == {"lead.las@example.org"}
    notification = Notification.objects.get(kind="procurement.change_decided")
    assert notification.body.startswith("The order now stands as asked.")


def test_a_request_made_by_someone_other_than_the_lead_tells_them_and_the_lead(
    las_order, staff_of_las, admin_of_southern, everyone
):
    from procurement.services import variation_request_create

    variation = variation_request_create(
        requirement=las_order,
        actor=staff_of_las,
        reference="BV-02",
        instead="Manual gearbox",
        reason="Cost.",
        cost_difference_per_vehicle=Decimal("-2500"),
    )
    variation_decide(variation=variation, actor=admin_of_southern, approve=False, reason="No.")

    assert told("procurement.variation_decided") == {
        "staff.las@example.org",
        "lead.las@example.org",
    }


def test_a_refused_change_tells_nobody(las_order, lead_of_las, everyone):
    with refused(match="Confirm that this is your trust's final order", field="confirmed"):
        requirement_confirm(requirement=las_order, actor=lead_of_las, confirmed=False)

    assert Notification.objects.filter(kind="procurement.requirement_confirmed").count() == 0


def test_saving_demand_and_editing_a_draft_tell_nobody(open_round, las, lead_of_las, everyone):
    requirement_save(
        round=open_round, trust=las, actor=lead_of_las, quantities={2027: 1}, optional_references=[]
    )

    assert Notification.objects.filter(kind__startswith="procurement.").count() == 0


# --- The closing-date ladder ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "step"),
    [
        (15, None),
        (14, "14-days"),
        (4, "14-days"),
        (3, "3-days"),
        (1, "3-days"),
        (0, "on-the-day"),
        (-1, None),
    ],
)
def test_the_closing_ladder(days_left, step):
    assert closing_step(TODAY + datetime.timedelta(days=days_left), TODAY) == step


def test_the_sweeps_sql_agrees_with_python_on_every_day(open_round):
    rounds = ProcurementRound.objects.filter(pk=open_round.pk)
    for days_left in range(0, 15):
        rounds.update(closing_date=TODAY + datetime.timedelta(days=days_left))
        in_sql = rounds.annotate(step=closing_step_expression(TODAY)).values_list("step", flat=True)
        assert in_sql.get() == closing_step(TODAY + datetime.timedelta(days=days_left), TODAY)


def _noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=ZoneInfo(settings.TIME_ZONE))


def test_walking_day_by_day_the_reminders_go_out_14_and_3_days_before_and_on_the_day_once_each(
    confirmed_las_order, open_round, everyone
):
    closing = open_round.closing_date
    sent_on: dict[int, set] = {}
    day = closing - datetime.timedelta(days=20)
    while day <= closing + datetime.timedelta(days=2):
        before = set(Notification.objects.values_list("pk", flat=True))
        with time_machine.travel(_noon(day)):
            send_closing_date_reminders()
            assert send_closing_date_reminders() == 0  # a second run the same day: nothing
        new = Notification.objects.exclude(pk__in=before).select_related("recipient")
        if new:
            sent_on[(day - closing).days] = {(n.step, n.recipient.email) for n in new}
        day += datetime.timedelta(days=1)

    # LAS confirmed: only SECAmb's lead is reminded.
    assert sent_on == {
        -14: {("14-days", "lead.secamb@example.org")},
        -3: {("3-days", "lead.secamb@example.org")},
        0: {("on-the-day", "lead.secamb@example.org")},
    }
    titles = (
        Notification.objects.filter(kind="procurement.closing_date_reminder")
        .order_by("created_at")
        .values_list("title", flat=True)
    )
    assert [t.split(":")[0] for t in titles] == [
        "Confirm your trust's order in 14 days",
        "Confirm your trust's order in 3 days",
        "Confirm your trust's order today",
    ]


def test_a_missed_day_is_caught_up_with_the_rung_the_round_is_on(open_round, everyone):
    closing = open_round.closing_date
    ten_days_before = closing - datetime.timedelta(days=10)

    assert rounds_due_a_closing_reminder(ten_days_before) == [open_round.pk]
    sent = closing_date_remind(round_id=open_round.pk, today=ten_days_before)

    assert {(n.step, n.recipient.email) for n in sent} == {("14-days", e) for e in LEADS}
    assert rounds_due_a_closing_reminder(ten_days_before) == []


def test_no_reminder_when_every_trust_has_confirmed(
    confirmed_las_order, open_round, las, secamb, lead_of_secamb, everyone
):
    requirement = requirement_save(
        round=open_round,
        trust=secamb,
        actor=lead_of_secamb,
        quantities={2027: 1},
        optional_references=[],
    )
    requirement_confirm(requirement=requirement, actor=lead_of_secamb, confirmed=True)

    assert rounds_due_a_closing_reminder(open_round.closing_date) == []
    assert closing_date_remind(round_id=open_round.pk, today=open_round.closing_date) == []


@pytest.mark.parametrize("status", [RoundStatus.DRAFT, RoundStatus.CLOSED])
def test_no_reminder_for_a_round_that_is_not_open(open_round, everyone, status):
    ProcurementRound.objects.filter(pk=open_round.pk).update(status=status)

    assert rounds_due_a_closing_reminder(open_round.closing_date) == []
    assert closing_date_remind(round_id=open_round.pk, today=open_round.closing_date) == []


def test_an_unconfirmed_order_is_still_reminded(las_order, open_round, everyone):
    """Demand saved but not confirmed is not an order: its lead is reminded too."""
    sent = closing_date_remind(round_id=open_round.pk, today=open_round.closing_date)

    assert {n.recipient.email for n in sent} == LEADS
    assert {n.step for n in sent} == {"on-the-day"}
