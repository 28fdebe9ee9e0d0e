"""The joint procurement journey: a programme admin publishes the common specification, the
lead of LAS enters the trust's demand and asks for a variation, the admin approves it, and the
combined demand summary changes. axe checks every page on the way; on a phone, no procurement
page scrolls sideways."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from procurement.services import (
    line_item_save,
    requirement_save,
    round_create,
    variation_request_create,
    version_publish,
    version_start_draft,
)
from projects.models import Category, FundingModel
from projects.services import (
    milestone_save,
    participation_decide,
    project_create,
    project_open,
    project_start,
)
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "Joint purchase of double-crewed ambulances"
ROUND = "Double-crewed ambulances 2027 to 2030"
INSTEAD = "A tracked stair chair as well as the stretcher"
WHY = "Many of our patients live in flats without lifts."

# Reference, section, requirement, kind, quantity per vehicle, estimated unit cost.
ITEMS = (
    ("BV-01", "Base vehicle and chassis", "Panel van, 4.25 t gross", "mandatory", "1", "48000"),
    ("ST-01", "Stretcher and loading", "Powered stretcher and loading system", "mandatory", "1",
     "21000"),
    ("EL-01", "Electrical and lighting", "LED scene lighting, each side", "mandatory", "4",
     "350"),
)  # fmt: skip


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def vehicle_project(southern, admin_of_southern, las, secamb, lead_of_las, lead_of_secamb):
    """Active, vehicles and procurement, with LAS and SECAmb committed."""
    project = project_create(
        collaboration=southern,
        actor=admin_of_southern,
        lead_trust=secamb,
        title=PROJECT,
        summary="Buy the southern trusts' ambulances together on one specification.",
        category=Category.VEHICLES_AND_PROCUREMENT,
        terms="Each trust orders against the common specification and asks before departing.",
        funding_model=FundingModel.EQUAL_SPLIT,
        total_budget=Decimal("60000.00"),
        staff_days_per_trust=10,
        decision_deadline=_days(14),
        planned_start=_days(21),
        planned_end=_days(800),
    )
    milestone_save(
        project=project,
        actor=admin_of_southern,
        title="Orders placed",
        deliverable="Each trust confirms its order in the procurement round.",
        due_on=_days(90),
    )
    project_open(project=project, actor=admin_of_southern)
    for trust, lead in ((las, lead_of_las), (secamb, lead_of_secamb)):
        participation_decide(
            participation=project.participations.get(trust=trust),
            actor=lead,
            opt_in=True,
            reason="One specification gives us buying power.",
            contact=lead,
            confirmed=True,
        )
    return project_start(project=project, actor=admin_of_southern)


@pytest.fixture
def draft_round(vehicle_project, admin_of_southern):
    """A round whose version 1 is a draft with three line items (and no optional one yet)."""
    round_ = round_create(
        project=vehicle_project,
        actor=admin_of_southern,
        title=ROUND,
        description="A common double-crewed ambulance, bought together.",
        closing_date=_days(30),
        first_delivery_year=2027,
    )
    version = round_.versions.get()
    for reference, section, requirement, kind, quantity, cost in ITEMS:
        line_item_save(
            version=version,
            actor=admin_of_southern,
            section=version.sections.get(title=section),
            reference=reference,
            requirement=requirement,
            kind=kind,
            unit="each",
            quantity_per_vehicle=Decimal(quantity),
            estimated_unit_cost=Decimal(cost),
        )
    return round_


def _sign_in(portal, email: str) -> None:
    portal.goto("/accounts/login/")
    portal.page.get_by_label("Email").fill(email)
    portal.page.get_by_label("Password").fill(PASSWORD)
    portal.page.get_by_role("button", name="Sign in", exact=True).click()
    expect(portal.page.get_by_role("heading", level=1)).to_contain_text("Your dashboard")


def _sign_out(portal) -> None:
    portal.page.get_by_role("button", name="Sign out").click()
    expect(portal.page.get_by_role("button", name="Sign out")).to_have_count(0)


def _success_banner(page):
    return page.locator(".nhsuk-notification-banner--success")


def _h1(page):
    return page.get_by_role("heading", level=1)


def test_an_admin_publishes_a_lead_orders_and_varies_and_the_approval_changes_the_summary(
    portal, draft_round, admin_of_southern, lead_of_las
):
    page = portal.page

    # The programme admin finds the round on the project's page and opens its draft.
    _sign_in(portal, admin_of_southern.email)
    portal.goto(draft_round.project.get_absolute_url())
    page.get_by_test_id("procurement-rounds").get_by_role("link", name=ROUND).click()
    expect(_h1(page)).to_contain_text(ROUND)
    expect(page.get_by_test_id("round-status")).to_contain_text("Draft")
    portal.assert_accessible()
    page.get_by_role("link", name="Edit the draft").click()
    expect(_h1(page)).to_contain_text("Edit the draft: version 1")
    portal.assert_accessible()

    # An optional item, first with a reference already used: the error is at the field, and
    # what was typed stays.
    page.get_by_role("link", name="Add a line item").click()
    expect(_h1(page)).to_contain_text("Add a line item")
    portal.assert_accessible()
    page.get_by_label("Section").select_option(label="Electrical and lighting")
    page.get_by_label("Reference").fill("EL-01")
    page.get_by_label("Requirement").fill("Solar trickle charger")
    page.get_by_label("Optional: each trust chooses").check()
    page.get_by_label("Unit", exact=True).fill("each")
    page.get_by_label("Quantity per vehicle").fill("1")
    page.get_by_label("Estimated unit cost (£)").fill("900")
    page.get_by_role("button", name="Save the line item").click()
    expect(page.locator("#id_reference-error")).to_contain_text(
        "Version 1 already has a line item EL-01"
    )
    expect(page.get_by_label("Requirement")).to_have_value("Solar trickle charger")
    assert page.title().startswith("Error: ")
    portal.assert_accessible()
    page.get_by_label("Reference").fill("EL-02")
    page.get_by_role("button", name="Save the line item").click()
    expect(_success_banner(page)).to_contain_text("Line item EL-02 saved.")
    expect(page.locator("tr[data-reference='EL-02']")).to_contain_text("Optional")
    portal.assert_accessible()

    # Publishing version 1 opens the round.
    page.get_by_role("link", name="Publish version 1").click()
    expect(_h1(page)).to_contain_text("Publish version 1")
    portal.assert_accessible()
    page.get_by_role("button", name="Publish version 1").click()
    expect(_success_banner(page)).to_contain_text("Version 1 is published.")
    expect(page.get_by_test_id("version-status")).to_contain_text("The current version")
    portal.assert_accessible()
    _sign_out(portal)

    # The lead of LAS enters the trust's demand from the round's page.
    _sign_in(portal, lead_of_las.email)
    portal.goto(draft_round.get_absolute_url())
    expect(page.get_by_test_id("round-status")).to_contain_text("Open for demand")
    portal.assert_accessible()
    page.get_by_role("link", name="Go to LAS's order").click()
    expect(page.get_by_test_id("no-requirement")).to_be_visible()
    portal.assert_accessible()
    page.get_by_role("link", name="Enter your demand").click()
    expect(_h1(page)).to_contain_text("LAS's demand")
    portal.assert_accessible()
    page.get_by_label("Vehicles for delivery in 2027").fill("4")
    page.get_by_label("Vehicles for delivery in 2028").fill("3")
    page.get_by_label("Vehicles for delivery in 2029").fill("2")
    page.get_by_label("EL-02: Solar trickle charger").check()
    page.get_by_role("button", name="Save the demand").click()
    expect(_success_banner(page)).to_contain_text("LAS's demand is saved.")
    expect(page.get_by_test_id("total-units")).to_have_text("9")
    # 48,000 + 21,000 + 4 x 350 + 900 (EL-02).
    expect(page.get_by_test_id("vehicle-cost")).to_have_text("£71,300.00")
    expect(page.get_by_test_id("requirement-version")).to_contain_text("Version 1")
    portal.assert_accessible()

    # ... and asks for a variation on the stretcher.
    page.get_by_role("link", name="Ask for a variation from the common specification").click()
    expect(_h1(page)).to_contain_text("Ask for a variation")
    portal.assert_accessible()
    page.get_by_label("Line item").select_option("ST-01")
    page.get_by_label("What your trust wants instead").fill(INSTEAD)
    page.get_by_label("Why").fill(WHY)
    page.get_by_label("Cost difference per vehicle (£)").fill("1200")
    page.get_by_role("button", name="Send the request").click()
    expect(_success_banner(page)).to_contain_text("Your variation on ST-01")
    variation_row = page.locator("tr[data-reference='ST-01']")
    expect(variation_row).to_contain_text("Waiting for a decision")
    expect(variation_row).to_contain_text(INSTEAD)
    portal.assert_accessible()

    # Before the decision, every vehicle is to the common specification.
    portal.goto(draft_round.get_absolute_url() + "summary/")
    expect(page.get_by_test_id("units-share").locator("strong")).to_have_text("100%")
    expect(page.get_by_test_id("items-share")).to_contain_text("4 of 4")
    expect(page.get_by_test_id("total-value")).to_have_text("£641,700.00")
    chart = page.get_by_test_id("chart").get_by_role("img")
    expect(chart).to_have_attribute("aria-label", re.compile("LAS 9, SECAmb 0"))
    portal.assert_accessible()
    _sign_out(portal)

    # The programme admin approves the variation from the round's page.
    _sign_in(portal, admin_of_southern.email)
    portal.goto(draft_round.get_absolute_url())
    waiting = page.get_by_test_id("waiting")
    expect(waiting).to_contain_text("LAS asks to vary ST-01")
    portal.assert_accessible()
    waiting.get_by_role("link", name="Decide on LAS's variation on ST-01").click()
    expect(_h1(page)).to_contain_text("LAS asks to vary ST-01")
    expect(page.get_by_test_id("variation")).to_contain_text(WHY)
    portal.assert_accessible()
    page.get_by_label("Approve").check()
    page.get_by_label("Reason").fill("Agreed at the programme board: a real local need.")
    page.get_by_role("button", name="Record the decision").click()
    expect(_success_banner(page)).to_contain_text("LAS's variation on ST-01 is approved.")
    expect(page.get_by_test_id("waiting")).to_have_count(0)
    portal.assert_accessible()

    # The summary changes: LAS's vehicles are no longer to the common specification, and cost
    # the variation more each.
    portal.goto(draft_round.get_absolute_url() + "summary/")
    expect(page.get_by_test_id("units-share").locator("strong")).to_have_text("0%")
    expect(page.get_by_test_id("items-share")).to_contain_text("3 of 4")
    las = page.get_by_test_id("demand").locator("tr[data-trust='LAS']")
    expect(las.get_by_test_id("trust-cost")).to_have_text("£72,500.00")
    expect(page.get_by_test_id("total-value")).to_have_text("£652,500.00")
    portal.assert_accessible()


def _assert_no_sideways_scrolling(page) -> None:
    """Nothing wider than the screen. A mobile browser zooms out to fit a page that overflows,
    which widens window.innerWidth, so both are held to the viewport's width."""
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    screen = page.viewport_size["width"]
    assert scroll_width <= inner_width <= screen, (page.url, scroll_width, inner_width, screen)


@pytest.fixture
def busy_round(draft_round, admin_of_southern, las, lead_of_las):
    """Version 1 published with LAS's demand and a waiting variation, and version 2 a draft."""
    version_publish(version=draft_round.versions.get(), actor=admin_of_southern)
    requirement = requirement_save(
        round=draft_round,
        trust=las,
        actor=lead_of_las,
        quantities={2027: 4, 2028: 3, 2029: 2},
        optional_references=[],
    )
    variation = variation_request_create(
        requirement=requirement,
        actor=lead_of_las,
        reference="ST-01",
        instead=INSTEAD,
        reason=WHY,
        cost_difference_per_vehicle=Decimal("1200.00"),
    )
    version_start_draft(round=draft_round, actor=admin_of_southern)
    return draft_round, variation


def test_every_procurement_page_fits_a_phone(phone, busy_round, admin_of_southern, lead_of_las):
    round_, variation = busy_round
    base = round_.get_absolute_url()
    _sign_in(phone, admin_of_southern.email)
    for path in (
        base,
        base + "specification/",
        base + "specification/draft/",
        base + "specification/draft/items/new/",
        base + "specification/draft/publish/",
        base + "trusts/las/",
        variation.get_decide_url(),
        base + "summary/",
        "/procurement/",
    ):
        phone.goto(path)
        expect(phone.page.get_by_role("heading", level=1)).to_be_visible()
        _assert_no_sideways_scrolling(phone.page)
        phone.assert_accessible()
    _sign_out(phone)
    _sign_in(phone, lead_of_las.email)
    for path in (
        base + "trusts/las/edit/",
        base + "trusts/las/variations/new/",
        base + "trusts/las/confirm/",
    ):
        phone.goto(path)
        expect(phone.page.get_by_role("heading", level=1)).to_be_visible()
        _assert_no_sideways_scrolling(phone.page)
        phone.assert_accessible()
