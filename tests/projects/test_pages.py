"""What the reading pages show: the dashboard's project panels, My trust, and the
collaboration page's sum of benefits."""

import datetime
from decimal import Decimal

import time_machine
from django.urls import reverse

from projects.models import BenefitKind
from projects.selectors import collaboration_benefit_totals
from projects.services import (
    benefit_record,
    participation_decide,
    withdrawal_request_create,
)


def _text(response) -> str:
    return response.content.decode()


def test_the_dashboard_lists_a_decision_due_until_the_lead_decides(
    client, open_project, las_participation, lead_of_las
):
    client.force_login(lead_of_las)
    decide_url = reverse("projects:decide", args=[open_project.slug, "las"])

    before = _text(client.get(reverse("dashboard")))
    participation_decide(
        participation=las_participation,
        actor=lead_of_las,
        opt_in=False,
        reason="No capacity this year.",
        contact=lead_of_las,
    )
    after = _text(client.get(reverse("dashboard")))

    assert 'data-testid="decisions-due"' in before and decide_url in before
    assert 'data-testid="decisions-due"' not in after


def test_staff_are_not_asked_to_decide(client, open_project, staff_of_las):
    client.force_login(staff_of_las)

    page = _text(client.get(reverse("dashboard")))

    assert 'data-testid="decisions-due"' not in page


def test_the_dashboard_shows_late_commitments_of_the_leads_trust(
    client, active_project, lead_of_las
):
    first_due = active_project.milestones.first().due_on
    client.force_login(lead_of_las)

    on_time = _text(client.get(reverse("dashboard")))
    with time_machine.travel(
        datetime.datetime.combine(first_due + datetime.timedelta(days=1), datetime.time(12)),
        tick=False,
    ):
        client.force_login(lead_of_las)  # the first session has expired by then
        late = _text(client.get(reverse("dashboard")))

    assert 'data-testid="late-commitments"' not in on_time
    assert 'data-testid="late-commitments"' in late
    assert "Data sharing agreement signed" in late


def test_a_programme_admin_sees_drafts_and_requests_waiting(
    client, draft_project, admin_of_southern
):
    client.force_login(admin_of_southern)

    page = _text(client.get(reverse("dashboard")))

    assert 'data-testid="drafts"' in page and draft_project.title in page


def test_the_admin_dashboard_counts_requests_waiting(
    client, active_project, las_participation, lead_of_las, admin_of_southern
):
    withdrawal_request_create(
        participation=las_participation,
        actor=lead_of_las,
        reason="Budget cut.",
        impact="Evaluation loses London data.",
    )
    client.force_login(admin_of_southern)

    page = _text(client.get(reverse("dashboard")))

    assert 'data-testid="requests-to-decide"' in page
    assert "1 request to withdraw or join late is waiting" in page


def test_my_trust_shows_decisions_waiting_and_what_is_due(
    client, active_project, open_project, lead_of_las
):
    client.force_login(lead_of_las)

    page = _text(client.get(reverse("projects:trust_projects", args=["las"])))

    assert 'data-testid="projects-in"' in page and active_project.title in page
    assert 'data-testid="next-due"' in page and "Data sharing agreement signed" in page
    assert "Nothing is late." in page


def test_my_trust_shows_what_is_late(client, active_project, lead_of_las):
    last_due = active_project.milestones.last().due_on
    client.force_login(lead_of_las)

    with time_machine.travel(
        datetime.datetime.combine(last_due + datetime.timedelta(days=1), datetime.time(12)),
        tick=False,
    ):
        client.force_login(lead_of_las)  # the first session has expired by then
        page = _text(client.get(reverse("projects:trust_projects", args=["las"])))

    assert 'data-testid="late"' in page
    assert "Evaluation report" in page and "Nothing is late." not in page


def test_the_collaboration_page_sums_benefits_over_its_projects(
    client, active_project_both, las, secamb, admin_of_southern, staff_of_las
):
    for trust, hours, money in ((las, "1200", "45000"), (secamb, "300.5", "5000.25")):
        benefit_record(
            project=active_project_both,
            trust=trust,
            kind=BenefitKind.REALISED,
            actor=admin_of_southern,
            staff_hours_released=Decimal(hours),
            money_saved=Decimal(money),
            measure="",
        )
    benefit_record(
        project=active_project_both,
        trust=las,
        kind=BenefitKind.EXPECTED,
        actor=admin_of_southern,
        staff_hours_released=Decimal("2000"),
        money_saved=Decimal("90000"),
        measure="",
    )

    totals = {t.kind: t for t in collaboration_benefit_totals(active_project_both.collaboration)}
    client.force_login(staff_of_las)
    page = _text(client.get(reverse("collaboration_detail", args=["southern"])))

    assert totals["realised"].staff_hours_released == Decimal("1500.5")
    assert totals["realised"].money_saved == Decimal("50000.25")
    assert totals["expected"].money_saved == Decimal("90000")
    assert totals["realised"].projects == 1
    assert "50,000.25" in page and "1,500.5" in page


def test_the_collaboration_page_has_no_benefits_before_any_are_recorded(southern):
    totals = collaboration_benefit_totals(southern)

    assert [(t.staff_hours_released, t.money_saved, t.projects) for t in totals] == [
        (0, 0, 0),
        (0, 0, 0),
    ]
