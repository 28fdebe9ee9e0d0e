"""The joint-projects journey: a lead opts in, an admin starts the project, the lead reports
progress on a commitment, and the trackers show it. axe checks every page on the way."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projects.models import Category, FundingModel
from projects.services import milestone_save, project_create, project_open
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "AI triage evaluation"
FIRST_MILESTONE = "Data sharing agreement signed"
CONFIRMATION = "I confirm that my trust will see this project through if it joins"


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def open_project(southern, admin_of_southern, las, secamb):
    """Open for decisions until day 14, equal split of £120,000 between LAS and SECAmb."""
    project = project_create(
        collaboration=southern,
        actor=admin_of_southern,
        lead_trust=las,
        title=TITLE,
        summary="Evaluate AI-assisted triage of 999 calls across the southern trusts.",
        category=Category.AI_AND_DIGITAL,
        terms="Each trust shares call data and gives clinical time to the evaluation.",
        funding_model=FundingModel.EQUAL_SPLIT,
        total_budget=Decimal("120000.00"),
        staff_days_per_trust=20,
        decision_deadline=_days(14),
        planned_start=_days(21),
        planned_end=_days(386),
    )
    for title, due in ((FIRST_MILESTONE, 51), ("Evaluation report", 111)):
        milestone_save(
            project=project,
            actor=admin_of_southern,
            title=title,
            deliverable=f"{title}, by each trust.",
            due_on=_days(due),
        )
    return project_open(project=project, actor=admin_of_southern)


def _sign_in(portal, email: str) -> None:
    portal.goto("/accounts/login/")
    portal.page.get_by_label("Email").fill(email)
    portal.page.get_by_label("Password").fill(PASSWORD)
    portal.page.get_by_role("button", name="Sign in", exact=True).click()
    expect(portal.page.get_by_role("heading", level=1)).to_contain_text("Your dashboard")


def _sign_out(portal) -> None:
    portal.page.get_by_role("button", name="Sign out").click()
    expect(portal.page.get_by_role("button", name="Sign out")).to_have_count(0)


def _assert_no_sideways_scrolling(page) -> None:
    """Nothing wider than the screen. A mobile browser zooms out to fit a page that overflows,
    which widens window.innerWidth, so both are held to the viewport's width."""
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    screen = page.viewport_size["width"]
    assert scroll_width <= inner_width <= screen, (page.url, scroll_width, inner_width, screen)


def _success_banner(page):
    return page.locator(".nhsuk-notification-banner--success")


def test_a_lead_opts_in_an_admin_starts_the_project_and_the_tracker_shows_progress(
    portal, open_project, lead_of_las, admin_of_southern
):
    page = portal.page

    # The lead of LAS finds the decision waiting on the dashboard.
    _sign_in(portal, lead_of_las.email)
    decisions_due = page.get_by_test_id("decisions-due")
    expect(decisions_due).to_contain_text(f"{TITLE}: LAS to decide by")
    expect(decisions_due.get_by_role("link", name=TITLE)).to_have_attribute(
        "href", f"/projects/{open_project.slug}/trusts/las/decision/"
    )
    portal.assert_accessible()

    # The project list leads to the project, which offers the decision.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Joint projects").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Joint projects")
    portal.assert_accessible()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_test_id("your-trust")).to_contain_text("Undecided")
    portal.assert_accessible()
    page.get_by_role("link", name="Decide for LAS").click()

    # The decision page says what joining commits LAS to before anything is chosen.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Will LAS join this project?")
    summary = page.get_by_test_id("commitment-summary")
    expect(page.get_by_test_id("projected-share")).to_have_text("£120,000.00")
    expect(summary).to_contain_text("£60,000.00 if all 2 member trusts join")
    expect(summary).to_contain_text("20 staff days")
    expect(summary).to_contain_text(f"{FIRST_MILESTONE}, by")
    expect(summary).to_contain_text("Evaluation report, by each trust.")
    portal.assert_accessible()

    # Opting in without the confirmation: the error is shown at the top and at the field,
    # and what was typed stays.
    reason = "Triage is our top priority this year."
    page.get_by_label("Yes, opt in").check()
    page.get_by_label("Reason for your decision").fill(reason)
    page.get_by_role("button", name="Record our decision").click()
    error_summary = page.locator(".nhsuk-error-summary")
    expect(error_summary).to_be_visible()
    expect(error_summary.get_by_role("link")).to_have_text(
        "Confirm that your trust will see the project through if it joins."
    )
    expect(page.locator("#id_confirmed-error")).to_contain_text(
        "Confirm that your trust will see the project through if it joins."
    )
    expect(page.get_by_label("Reason for your decision")).to_have_value(reason)
    expect(page.get_by_label("Yes, opt in")).to_be_checked()
    assert page.title().startswith("Error: ")
    portal.assert_accessible()

    # The error summary's link takes the lead to the checkbox.
    error_summary.get_by_role("link").click()
    expect(page.get_by_label(CONFIRMATION)).to_be_focused()
    page.get_by_label(CONFIRMATION).check()
    page.get_by_role("button", name="Record our decision").click()
    expect(_success_banner(page)).to_contain_text("LAS has opted in.")
    expect(page.get_by_test_id("your-trust")).to_contain_text("Opted in")
    las_row = page.get_by_test_id("decisions").locator("tr[data-trust='LAS']")
    expect(las_row).to_contain_text("Opted in")
    expect(las_row).to_contain_text(reason)
    portal.assert_accessible()
    _sign_out(portal)

    # The programme admin starts the project with the trusts that opted in.
    _sign_in(portal, admin_of_southern.email)
    portal.goto(open_project.get_absolute_url())
    admin_actions = page.get_by_test_id("admin-actions")
    expect(admin_actions).to_be_visible()
    portal.assert_accessible()
    admin_actions.get_by_role("button", name="Start the project now").click()
    expect(_success_banner(page)).to_contain_text("The project has started.")
    expect(page.get_by_test_id("project-status")).to_contain_text("Active")
    decisions = page.get_by_test_id("decisions")
    expect(decisions.locator("tr[data-trust='LAS']")).to_contain_text("Committed")
    expect(decisions.locator("tr[data-trust='SECAmb']")).to_contain_text("Did not join")
    # Every trust's progress, with what each delivers next.
    las_progress = page.get_by_test_id("commitment-progress").locator("tr[data-trust='LAS']")
    expect(las_progress).to_contain_text("0 of")
    expect(las_progress).to_contain_text(FIRST_MILESTONE)
    portal.assert_accessible()
    _sign_out(portal)

    # The lead of LAS reports progress on LAS's first commitment.
    _sign_in(portal, lead_of_las.email)
    portal.goto(open_project.get_absolute_url())
    expect(page.get_by_test_id("your-trust")).to_contain_text("Committed")
    portal.assert_accessible()
    page.get_by_test_id("commitments-las").get_by_role(
        "link", name=f"{FIRST_MILESTONE} for LAS"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(FIRST_MILESTONE)
    expect(page.get_by_test_id("commitment-status")).to_have_text("Not started")
    expect(page.get_by_test_id("updates")).to_contain_text("No updates yet.")
    portal.assert_accessible()

    note = "Draft agreement is with our information governance team."
    page.get_by_label("In progress").check()
    page.get_by_label("Update note").fill(note)
    page.get_by_role("button", name="Save update").click()
    expect(_success_banner(page)).to_contain_text("Update saved.")
    expect(page.get_by_test_id("commitment-status")).to_have_text("In progress")
    updates = page.get_by_test_id("updates")
    expect(updates).to_contain_text("Not started → In progress")
    expect(updates).to_contain_text(note)
    expect(updates).to_contain_text(lead_of_las.full_name)
    portal.assert_accessible()
    _sign_out(portal)

    # The programme admin sees the progress in the project's tracker, then the collaboration's.
    _sign_in(portal, admin_of_southern.email)
    portal.goto(open_project.get_absolute_url())
    page.get_by_role("link", name="Commitment tracker").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Commitment tracker")
    tracker = page.get_by_test_id("tracker")
    expect(tracker.get_by_role("columnheader", name=re.compile(FIRST_MILESTONE))).to_be_visible()
    las_cell = tracker.locator("tr[data-trust='las'] td[data-status='in_progress']")
    expect(las_cell).to_have_count(1)
    expect(las_cell).to_contain_text("In progress")
    expect(las_cell).to_contain_text("Green: on track")
    expect(tracker.locator("tr[data-trust='las'] th")).to_contain_text("LAS")
    portal.assert_accessible()

    page.get_by_role("link", name="All projects of SASC in one tracker").click()
    expect(page).to_have_url(re.compile(r"/collaborations/southern/tracker/$"))
    tracker = page.get_by_test_id("tracker")
    expect(tracker.get_by_role("columnheader", name=re.compile(TITLE))).to_be_visible()
    las_cell = tracker.locator(f"tr[data-trust='las'] td[data-project='{open_project.slug}']")
    expect(las_cell).to_contain_text("Committed")
    expect(las_cell).to_contain_text("Green: on track")
    expect(las_cell.get_by_test_id("cell-counts")).to_have_text("0 red, 0 amber, 2 green")
    portal.assert_accessible()

    assert len(portal.checked_urls) == 13


def test_a_lead_decides_on_a_phone(phone, open_project, lead_of_las):
    page = phone.page
    _sign_in(phone, lead_of_las.email)

    phone.goto(open_project.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    _assert_no_sideways_scrolling(page)
    phone.assert_accessible()

    page.get_by_role("link", name="Decide for LAS").click()
    expect(page.get_by_test_id("projected-share")).to_have_text("£120,000.00")
    _assert_no_sideways_scrolling(page)
    phone.assert_accessible()

    # The error state too: error summary and messages must fit the narrow screen.
    page.get_by_label("Yes, opt in").check()
    page.get_by_role("button", name="Record our decision").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    _assert_no_sideways_scrolling(page)
    phone.assert_accessible()
