"""Forms of joint procurement, through their views: bad input is answered next to the field,
with "Error:" at the start of the page title and status 400, keeps what the person typed, and
saves nothing. A service's refusal is shown on the field it concerns; a refusal of an action
without a form is shown after the redirect. Happy posts redirect and change the data.
"""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from procurement.models import (
    DecisionStatus,
    ProcurementRound,
    RequirementStatus,
    VariationRequest,
)
from procurement.services import (
    change_request_create,
    change_request_decide,
    round_close,
    variation_decide,
)
from tests.form_checks import (
    assert_checked,
    assert_field_error,
    assert_form_error,
    assert_message_after_redirect,
    assert_typed,
    html_of,
)
from tests.procurement.conftest import days, write_version
from tests.procurement.service_helpers import db_state

# --- Helpers -----------------------------------------------------------------------------------


def url(name: str, round_: ProcurementRound, *args) -> str:
    return reverse(f"procurement:{name}", args=[round_.slug, *args])


@pytest.fixture
def draft_v2(open_round, admin_of_southern):
    return write_version(open_round, 2, admin_of_southern, published=False)


# --- Rounds ------------------------------------------------------------------------------------


def test_a_new_round_with_missing_and_bad_fields_says_which_and_keeps_the_rest(
    client, vehicle_project, admin_of_southern
):
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(
        reverse("procurement:round_new", args=[vehicle_project.slug]),
        {
            "title": "",
            "description": "Vehicles for bariatric patients.",
            "closing_date": days(30).isoformat(),
            "first_delivery_year": "twenty",
            "delivery_years": "12",
        },
    )
    assert_field_error(response, "title", "This field is required.")
    assert_field_error(response, "first_delivery_year", "Enter a whole number.")
    assert_field_error(response, "delivery_years", "Ensure this value is less than or equal to 10.")
    assert_typed(response, "Vehicles for bariatric patients.", f'value="{days(30).isoformat()}"')
    assert db_state() == before


def test_a_closing_date_in_the_past_is_refused_next_to_the_date(
    client, vehicle_project, admin_of_southern
):
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(
        reverse("procurement:round_new", args=[vehicle_project.slug]),
        {
            "title": "Bariatric ambulances 2028",
            "description": "Vehicles for bariatric patients.",
            "closing_date": days(-1).isoformat(),
            "first_delivery_year": "2028",
            "delivery_years": "2",
        },
    )
    assert_field_error(
        response, "closing_date", "The closing date has passed; choose today or a later day."
    )
    assert_typed(response, 'value="Bariatric ambulances 2028"')
    assert db_state() == before


def test_a_closed_round_cannot_be_changed_and_the_typing_is_kept(
    client, open_round, admin_of_southern
):
    round_close(round=open_round, actor=admin_of_southern)
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(
        url("round_edit", open_round),
        {
            "title": "A new title",
            "description": open_round.description,
            "closing_date": days(40).isoformat(),
        },
    )
    assert_form_error(response, "This round is closed and cannot change.")
    assert_typed(response, 'value="A new title"')
    assert db_state() == before


def test_closing_a_round_that_is_not_open_shows_the_refusal(client, draft_round, admin_of_southern):
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(url("round_close", draft_round), follow=True)
    assert_message_after_redirect(
        response,
        draft_round.get_absolute_url(),
        "Only an open round can be closed; this one is draft.",
    )
    assert db_state() == before


def test_the_round_page_changes_on_a_happy_edit(client, open_round, admin_of_southern):
    client.force_login(admin_of_southern)
    response = client.post(
        url("round_edit", open_round),
        {
            "title": "Double-crewed ambulances, second wave",
            "description": "Now with the second wave.",
            "closing_date": days(45).isoformat(),
        },
        follow=True,
    )
    assert response.redirect_chain == [(open_round.get_absolute_url(), 302)]
    assert "Double-crewed ambulances, second wave" in html_of(response)
    open_round.refresh_from_db()
    assert open_round.closing_date == days(45)


# --- The specification's draft ------------------------------------------------------------------


def test_a_section_title_already_used_is_refused_on_the_editor(
    client, draft_v2, open_round, admin_of_southern
):
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(url("section_add", open_round), {"title": "electrical and lighting"})
    assert_field_error(
        response, "title", "Version 2 already has a section called Electrical and lighting."
    )
    assert_typed(response, 'value="electrical and lighting"')
    # Still the editor, with the draft's items.
    assert "Edit the draft: version 2" in html_of(response)
    assert "Panel van, 4.25 t gross" in html_of(response)
    assert db_state() == before


def test_a_reference_already_used_in_the_draft_is_refused_next_to_it(
    client, draft_v2, open_round, admin_of_southern
):
    client.force_login(admin_of_southern)
    section = draft_v2.sections.get(title="Electrical and lighting")
    before = db_state()
    response = client.post(
        url("line_item_new", open_round),
        {
            "section": str(section.pk),
            "reference": "EL-01",
            "requirement": "Rear reversing camera",
            "kind": "optional",
            "unit": "each",
            "quantity_per_vehicle": "1",
            "estimated_unit_cost": "450.00",
        },
    )
    assert_field_error(
        response,
        "reference",
        "Version 2 already has a line item EL-01; each reference is used once.",
    )
    assert_typed(response, "Rear reversing camera", 'value="450.00"')
    assert_checked(response, "kind", "optional")
    assert db_state() == before


def test_a_negative_cost_is_refused_next_to_it(client, draft_v2, open_round, admin_of_southern):
    client.force_login(admin_of_southern)
    section = draft_v2.sections.get(title="Electrical and lighting")
    before = db_state()
    response = client.post(
        url("line_item_new", open_round),
        {
            "section": str(section.pk),
            "reference": "EL-03",
            "requirement": "Rear reversing camera",
            "kind": "mandatory",
            "unit": "each",
            "quantity_per_vehicle": "1",
            "estimated_unit_cost": "-450",
        },
    )
    assert_field_error(
        response, "estimated_unit_cost", "Ensure this value is greater than or equal to 0."
    )
    assert_typed(response, 'value="EL-03"')
    assert db_state() == before


def test_publishing_a_second_version_needs_a_summary_of_the_change(
    client, draft_v2, open_round, admin_of_southern
):
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(url("version_publish", open_round), {"change_summary": "  "})
    assert_field_error(
        response,
        "change_summary",
        "Say what changed since the previous version, and why: trusts read this before they "
        "review their orders.",
    )
    assert db_state() == before


def test_publishing_an_empty_first_version_is_refused(client, vehicle_project, admin_of_southern):
    client.force_login(admin_of_southern)
    client.post(
        reverse("procurement:round_new", args=[vehicle_project.slug]),
        {
            "title": "Bariatric ambulances 2028",
            "description": "Vehicles for bariatric patients.",
            "closing_date": days(30).isoformat(),
            "first_delivery_year": "2028",
            "delivery_years": "2",
        },
    )
    round_ = ProcurementRound.objects.get()
    before = db_state()
    response = client.post(url("version_publish", round_), {"change_summary": ""})
    assert_form_error(
        response, "Version 1 has no line items yet; add at least one before publishing it."
    )
    assert db_state() == before


def test_a_second_draft_is_refused_after_the_redirect(
    client, draft_v2, open_round, admin_of_southern
):
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(url("version_start_draft", open_round), follow=True)
    assert_message_after_redirect(
        response,
        url("specification", open_round),
        "Version 2 is already a draft; change it, or publish it before starting another.",
    )
    assert db_state() == before


def test_publishing_changes_what_the_trusts_read(client, draft_v2, open_round, admin_of_southern):
    client.force_login(admin_of_southern)
    item = draft_v2.line_items.get(reference="BV-02")
    response = client.post(
        url("line_item_edit", open_round, "BV-02"),
        {
            "section": str(item.section_id),
            "reference": "BV-02",
            "requirement": "Automatic gearbox, eight speeds",
            "kind": "mandatory",
            "unit": "each",
            "quantity_per_vehicle": "1",
            "estimated_unit_cost": "2750.00",
        },
    )
    assert response.status_code == 302
    response = client.post(
        url("version_publish", open_round), {"change_summary": "A better gearbox."}
    )
    assert response.status_code == 302
    response = client.get(url("specification_changes", open_round))
    html = html_of(response)
    assert "From version 1 to version 2" in html
    assert "Automatic gearbox, eight speeds" in html
    assert "£2,500.00" in html and "£2,750.00" in html
    assert "A better gearbox." in html


def test_comparing_a_version_with_itself_is_refused_next_to_the_choice(
    client, open_round, admin_of_southern, staff_of_las
):
    write_version(open_round, 2, admin_of_southern)
    client.force_login(staff_of_las)
    response = client.get(url("specification_changes", open_round) + "?from=2&to=2")
    assert_field_error(response, "to", "Choose two different versions to compare.")


# --- A trust's order ---------------------------------------------------------------------------


def test_a_negative_number_of_vehicles_is_refused_and_the_rest_is_kept(
    client, open_round, lead_of_las
):
    client.force_login(lead_of_las)
    before = db_state()
    response = client.post(
        url("requirement_edit", open_round, "las"),
        {
            "units_2027": "-1",
            "units_2028": "3",
            "units_2029": "two",
            "optional_references": ["EL-02"],
        },
    )
    assert_field_error(
        response, "units_2027", "The number of vehicles for 2027 cannot be less than 0."
    )
    assert_field_error(
        response, "units_2029", "Enter the number of vehicles for 2029 as a whole number."
    )
    assert_typed(response, 'value="-1"', 'value="3"', 'value="two"')
    assert_checked(response, "optional_references", "EL-02")
    assert db_state() == before


def test_a_confirmed_order_is_not_saved_over(client, confirmed_las_order, open_round, lead_of_las):
    client.force_login(lead_of_las)
    before = db_state()
    response = client.post(
        url("requirement_edit", open_round, "las"),
        {"units_2027": "9", "units_2028": "3", "units_2029": "2"},
    )
    assert response.status_code == 400
    assert "To change it, ask for a change, which the programme admins decide." in html_of(response)
    assert_typed(response, 'value="9"')
    assert db_state() == before


def test_saving_the_demand_changes_the_order_and_the_summary(client, open_round, lead_of_las):
    client.force_login(lead_of_las)
    response = client.post(
        url("requirement_edit", open_round, "las"),
        {"units_2027": "4", "units_2028": "3", "units_2029": "2"},
        follow=True,
    )
    assert response.redirect_chain == [(url("requirement", open_round, "las"), 302)]
    html = html_of(response)
    assert escape("LAS's demand is saved.") in html
    assert '<dd class="nhsuk-summary-list__value" data-testid="total-units">9</dd>' in html
    summary = html_of(client.get(url("summary", open_round)))
    assert 'data-testid="total-units">9<' in summary


def test_a_variation_without_a_line_item_or_a_reason_says_which_and_keeps_the_rest(
    client, las_order, open_round, lead_of_las
):
    client.force_login(lead_of_las)
    before = db_state()
    response = client.post(
        url("variation_new", open_round, "las"),
        {
            "reference": "",
            "instead": "A tracked stair chair",
            "reason": "",
            "cost_difference_per_vehicle": "1200",
        },
    )
    assert_field_error(response, "reference", "This field is required.")
    assert_field_error(response, "reason", "This field is required.")
    assert_typed(response, "A tracked stair chair", 'value="1200"')
    assert db_state() == before


def test_a_second_live_variation_on_one_item_is_refused_next_to_the_item(
    client, las_variation, open_round, lead_of_las
):
    client.force_login(lead_of_las)
    before = db_state()
    response = client.post(
        url("variation_new", open_round, "las"),
        {
            "reference": "EL-01",
            "instead": "Eight scene lights",
            "reason": "Even more light.",
            "cost_difference_per_vehicle": "1400",
        },
    )
    assert_field_error(
        response,
        "reference",
        "Your trust already has a variation on EL-01 that is waiting for a decision; one "
        "variation per line item.",
    )
    assert_typed(response, "Eight scene lights", "Even more light.")
    assert re.search(r'<option value="EL-01"[^>]*selected', html_of(response))
    assert db_state() == before


def test_confirming_without_ticking_the_box_is_refused(client, las_order, open_round, lead_of_las):
    client.force_login(lead_of_las)
    before = db_state()
    response = client.post(url("requirement_confirm", open_round, "las"), {})
    assert_field_error(response, "confirmed", "Tick the box to confirm your trust's final order.")
    assert db_state() == before


def test_confirming_with_a_variation_waiting_is_refused(
    client, las_variation, open_round, lead_of_las
):
    client.force_login(lead_of_las)
    before = db_state()
    response = client.post(url("requirement_confirm", open_round, "las"), {"confirmed": "on"})
    assert_form_error(
        response,
        "1 variation is waiting for a decision. Wait for the programme admins, or withdraw "
        "it, before confirming.",
    )
    assert db_state() == before


def test_confirming_before_entering_demand_is_refused(client, open_round, lead_of_las):
    client.force_login(lead_of_las)
    before = db_state()
    response = client.post(url("requirement_confirm", open_round, "las"), {"confirmed": "on"})
    assert_form_error(response, "Enter your trust's demand before confirming the order.")
    assert db_state() == before


def test_confirming_makes_the_order_binding(client, las_order, open_round, lead_of_las):
    client.force_login(lead_of_las)
    response = client.post(
        url("requirement_confirm", open_round, "las"), {"confirmed": "on"}, follow=True
    )
    assert response.redirect_chain == [(url("requirement", open_round, "las"), 302)]
    assert "Ask for a change to the order" in html_of(response)
    las_order.refresh_from_db()
    assert las_order.status == RequirementStatus.CONFIRMED


def test_a_change_request_without_a_reason_is_refused_and_the_units_are_kept(
    client, confirmed_las_order, open_round, lead_of_las
):
    client.force_login(lead_of_las)
    before = db_state()
    response = client.post(
        url("change_new", open_round, "las"),
        {"units_2027": "6", "units_2028": "3", "units_2029": "2", "reason": ""},
    )
    assert_field_error(response, "reason", "This field is required.")
    assert_typed(response, 'value="6"')
    assert db_state() == before


def test_withdrawing_a_decided_variation_shows_the_refusal(
    client, las_variation, open_round, lead_of_las, admin_of_southern
):
    variation_decide(
        variation=las_variation, actor=admin_of_southern, approve=False, reason="Not needed."
    )
    client.force_login(lead_of_las)
    before = db_state()
    response = client.post(
        url("variation_withdraw", open_round, las_variation.public_id), follow=True
    )
    assert response.redirect_chain == [(url("requirement", open_round, "las"), 302)]
    assert "This variation was already rejected" in html_of(response)
    assert db_state() == before


def test_the_requirement_page_warns_when_the_order_is_older_than_the_current_version(
    client, las_order, open_round, admin_of_southern, lead_of_las
):
    write_version(open_round, 2, admin_of_southern)
    client.force_login(lead_of_las)
    html = html_of(client.get(url("requirement", open_round, "las")))
    assert 'data-testid="older-version"' in html
    assert "made against version 1 of the specification. The current version is 2" in html


# --- Decisions ---------------------------------------------------------------------------------


def test_deciding_without_a_decision_or_a_reason_says_which(
    client, las_variation, open_round, admin_of_southern
):
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(
        url("variation_decide", open_round, las_variation.public_id), {"decision": "approve"}
    )
    assert_field_error(response, "reason", "Enter the reason for your decision.")
    assert_checked(response, "decision", "approve")
    response = client.post(
        url("variation_decide", open_round, las_variation.public_id),
        {"reason": "Agreed at the board."},
    )
    assert_field_error(response, "decision", "Choose approve or reject.")
    assert_typed(response, "Agreed at the board.")
    assert db_state() == before


def test_a_decided_change_request_cannot_be_decided_twice(
    client, confirmed_las_order, open_round, lead_of_las, admin_of_southern
):
    change = change_request_create(
        requirement=confirmed_las_order,
        actor=lead_of_las,
        quantities={2027: 5, 2028: 3, 2029: 2},
        optional_references=["EL-02"],
        reason="A fifth vehicle.",
    )
    change_request_decide(
        change_request=change, actor=admin_of_southern, approve=False, reason="Not this year."
    )
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(
        url("change_decide", open_round, change.public_id),
        {"decision": "approve", "reason": "On reflection, yes."},
    )
    assert response.status_code == 400
    assert "This request was already rejected" in html_of(response)
    assert_typed(response, "On reflection, yes.")
    assert db_state() == before


def test_approving_a_variation_changes_the_summary(
    client, las_variation, open_round, admin_of_southern
):
    client.force_login(admin_of_southern)
    summary_url = url("summary", open_round)
    html = html_of(client.get(summary_url))
    assert "<strong>100%</strong> of vehicles" in html
    response = client.post(
        url("variation_decide", open_round, las_variation.public_id),
        {"decision": "approve", "reason": "Agreed at the programme board."},
        follow=True,
    )
    assert response.redirect_chain == [(open_round.get_absolute_url(), 302)]
    assert escape("LAS's variation on EL-01 is approved.") in html_of(response)
    las_variation.refresh_from_db()
    assert las_variation.status == DecisionStatus.APPROVED
    html = html_of(client.get(summary_url))
    assert "<strong>0%</strong> of vehicles" in html
    # 72,900 + 900 (EL-02) + 700 (the variation) per vehicle.
    assert "£74,500.00" in html


def test_a_variation_on_a_confirmed_order_is_refused(
    client, confirmed_las_order, open_round, lead_of_las
):
    client.force_login(lead_of_las)
    before = db_state()
    response = client.post(
        url("variation_new", open_round, "las"),
        {
            "reference": "ST-01",
            "instead": "A tracked stair chair",
            "reason": "Flats without lifts.",
            "cost_difference_per_vehicle": "1200",
        },
    )
    assert_form_error(
        response, "Your trust has confirmed its order, so it can no longer ask for variations."
    )
    assert db_state() == before
    assert not VariationRequest.objects.exists()
