"""Forms of joint projects, through their views: bad input is answered next to the field, with
"Error:" at the start of the page title, keeps what the person typed, and leaves nothing
half-saved. A service's refusal of an action without a form is shown after the redirect.
"""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from collab.models import AuditEvent
from projects.models import (
    Category,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    FundingModel,
    JointProject,
    ParticipationStatus,
    ProjectStatus,
    RequestStatus,
)
from projects.services import (
    commitment_update,
    participation_decide,
    project_create,
    withdrawal_request_create,
)
from tests.form_checks import (
    assert_checked,
    assert_field_error,
    assert_message_after_redirect,
    assert_typed,
    html_of,
    page_title,
)
from tests.projects.helpers import days, db_state, spoken

PDF = b"%PDF-1.4\n% the signed data sharing agreement\n%%EOF\n"


# --- Helpers -----------------------------------------------------------------------------------


def terms_data(**overrides) -> dict[str, str]:
    data = {
        "title": "Shared fleet telematics",
        "summary": "One telematics contract for every vehicle of the southern trusts.",
        "category": Category.VEHICLES_AND_PROCUREMENT,
        "terms": "Each trust fits the units to its fleet and shares the data.",
        "funding_model": FundingModel.EQUAL_SPLIT,
        "total_budget": "80000.00",
        "staff_days_per_trust": "5",
        "decision_deadline": days(14).isoformat(),
        "planned_start": days(30).isoformat(),
        "planned_end": days(200).isoformat(),
        "weight_las": "1",
        "weight_secamb": "1",
    }
    return data | overrides


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _files_under(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.fixture
def las_commitment(active_project) -> Commitment:
    return (
        Commitment.objects.filter(
            participation__project=active_project, participation__trust__slug="las"
        )
        .select_related("milestone")
        .order_by("due_on", "pk")
        .first()
    )


# --- A new project -----------------------------------------------------------------------------


def test_a_new_project_with_missing_fields_says_which_and_keeps_the_rest(
    client, admin_of_southern, southern, las
):
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(
        reverse("projects:new", args=[southern.slug]),
        {"title": "Shared fleet telematics", "total_budget": "80000", "staff_days_per_trust": "7"},
    )
    assert response.status_code == 400
    for field in ("summary", "terms", "lead_trust", "decision_deadline", "planned_start"):
        assert_field_error(response, field, "This field is required.")
    assert_field_error(response, "category", "This field is required.")
    assert_typed(response, 'value="Shared fleet telematics"', 'value="80000"', 'value="7"')
    assert db_state() == before
    assert not JointProject.objects.exists()


def test_a_weighted_budget_needs_a_weight_for_every_member_trust(
    client, admin_of_southern, southern, las
):
    client.force_login(admin_of_southern)
    before = db_state()
    data = terms_data(
        lead_trust=str(las.pk),
        funding_model=FundingModel.WEIGHTED,
        weight_las="2.5",
        weight_secamb="",
    )
    response = client.post(reverse("projects:new", args=[southern.slug]), data)
    assert response.status_code == 400
    assert_field_error(response, "weight_secamb", "Enter a weight for SECAmb.")
    assert 'id="id_weight_las-error"' not in html_of(response)
    assert_typed(response, 'value="Shared fleet telematics"', 'value="2.5"')
    assert_typed(response, "Each trust fits the units to its fleet and shares the data.</textarea>")
    assert_checked(response, "funding_model", FundingModel.WEIGHTED)
    assert db_state() == before


def test_a_deadline_after_the_start_is_refused_next_to_the_deadline(
    client, admin_of_southern, southern, las
):
    client.force_login(admin_of_southern)
    before = db_state()
    data = terms_data(lead_trust=str(las.pk), decision_deadline=days(40).isoformat())
    response = client.post(reverse("projects:new", args=[southern.slug]), data)
    assert response.status_code == 400
    assert_field_error(
        response,
        "decision_deadline",
        "The decision deadline must be on or before the planned start.",
    )
    assert_typed(response, f'value="{days(40).isoformat()}"', 'value="Shared fleet telematics"')
    assert db_state() == before


def test_terms_cannot_change_once_a_trust_has_decided_and_the_typing_is_kept(
    client, open_project, las_participation, lead_of_las, admin_of_southern
):
    participation_decide(
        participation=las_participation,
        actor=lead_of_las,
        opt_in=False,
        reason="Not this year.",
        contact=None,
    )
    client.force_login(admin_of_southern)
    before = db_state()
    data = terms_data(lead_trust=str(open_project.lead_trust_id), title="AI triage, phase two")
    data |= {
        "decision_deadline": open_project.decision_deadline.isoformat(),
        "planned_start": open_project.planned_start.isoformat(),
        "planned_end": open_project.planned_end.isoformat(),
    }
    response = client.post(reverse("projects:edit", args=[open_project.slug]), data)
    assert response.status_code == 400
    assert page_title(response).startswith("Error:")
    assert escape("The terms cannot change now that trusts have decided on them (LAS).") in (
        html_of(response)
    )
    assert_typed(response, 'value="AI triage, phase two"')
    assert db_state() == before


def test_a_milestone_outside_the_project_dates_is_refused_next_to_its_date(
    client, draft_project, admin_of_southern
):
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(
        reverse("projects:milestone_new", args=[draft_project.slug]),
        {
            "title": "Go-live in every control room",
            "deliverable": "Triage live on every desk.",
            "due_on": days(500).isoformat(),
        },
    )
    assert response.status_code == 400
    assert_field_error(
        response,
        "due_on",
        f"The due date must fall within the project: {spoken(days(21))} to {spoken(days(386))}.",
    )
    assert_typed(response, 'value="Go-live in every control room"', "Triage live on every desk.")
    assert db_state() == before


# --- A trust's decision, withdrawal and late join ----------------------------------------------


def test_opting_in_without_confirming_is_refused_and_the_reason_is_kept(
    client, open_project, lead_of_las
):
    client.force_login(lead_of_las)
    before = db_state()
    response = client.post(
        reverse("projects:decide", args=[open_project.slug, "las"]),
        {
            "decision": "in",
            "reason": "Our board agreed on 3 March.",
            "contact": str(lead_of_las.pk),
        },
    )
    assert response.status_code == 400
    assert_field_error(
        response, "confirmed", "Confirm that your trust will see the project through if it joins."
    )
    assert_typed(response, "Our board agreed on 3 March.</textarea>")
    assert_checked(response, "decision", "in")
    assert db_state() == before
    assert open_project.participations.get(trust__slug="las").status == (
        ParticipationStatus.UNDECIDED
    )


def test_a_withdrawal_request_without_a_reason_is_refused_and_the_impact_is_kept(
    client, active_project, lead_of_las
):
    client.force_login(lead_of_las)
    before = db_state()
    response = client.post(
        reverse("projects:withdraw", args=[active_project.slug, "las"]),
        {"reason": "  ", "impact": "SECAmb would evaluate alone."},
    )
    assert response.status_code == 400
    assert_field_error(response, "reason", "This field is required.")
    assert_typed(response, "SECAmb would evaluate alone.</textarea>")
    assert db_state() == before


def test_a_late_join_without_confirming_is_refused_and_the_reason_is_kept(
    client, active_project, lead_of_secamb
):
    client.force_login(lead_of_secamb)
    before = db_state()
    response = client.post(
        reverse("projects:join_late", args=[active_project.slug, "secamb"]),
        {"reason": "Our board has now approved the funding.", "contact": str(lead_of_secamb.pk)},
    )
    assert response.status_code == 400
    assert_field_error(
        response, "confirmed", "Confirm that your trust will see the project through if it joins."
    )
    assert_typed(response, "Our board has now approved the funding.</textarea>")
    assert db_state() == before


def test_deciding_a_request_without_a_reason_is_refused(
    client, active_project_both, las_participation, lead_of_las, admin_of_southern
):
    request = withdrawal_request_create(
        participation=las_participation,
        actor=lead_of_las,
        reason="Our control room is moving to a new system.",
        impact="SECAmb would evaluate alone.",
    )
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(request.get_decide_url(), {"decision": "reject", "reason": ""})
    assert response.status_code == 400
    assert_field_error(response, "reason", "This field is required.")
    assert_checked(response, "decision", "reject")
    assert db_state() == before
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_a_negative_benefit_is_refused_and_the_measure_is_kept(client, open_project, lead_of_las):
    client.force_login(lead_of_las)
    before = db_state()
    response = client.post(
        reverse("projects:benefit", args=[open_project.slug, "las", "expected"]),
        {"staff_hours_released": "-4", "money_saved": "100", "measure": "Fewer calls waiting."},
    )
    assert response.status_code == 400
    assert_field_error(
        response, "staff_hours_released", "Ensure this value is greater than or equal to 0."
    )
    assert_typed(response, 'value="Fewer calls waiting."', 'value="-4"')
    assert db_state() == before


# --- Commitments and their evidence ------------------------------------------------------------


def test_a_blocked_commitment_without_a_note_is_refused_and_the_choice_is_kept(
    client, las_commitment, lead_of_las
):
    client.force_login(lead_of_las)
    before = db_state()
    response = client.post(
        las_commitment.get_absolute_url(),
        {"status": CommitmentStatus.BLOCKED, "note": "", "owner": str(lead_of_las.pk)},
    )
    assert response.status_code == 400
    assert_field_error(response, "note", "Say what is blocking this commitment.")
    assert_checked(response, "status", CommitmentStatus.BLOCKED)
    assert db_state() == before
    las_commitment.refresh_from_db()
    assert las_commitment.status == CommitmentStatus.NOT_STARTED


def test_evidence_of_a_type_not_accepted_is_refused_next_to_the_file(
    client, las_commitment, lead_of_las, media_root
):
    client.force_login(lead_of_las)
    before = db_state()
    response = client.post(
        las_commitment.get_absolute_url(),
        {
            "status": CommitmentStatus.IN_PROGRESS,
            "note": "The signed agreement is attached.",
            "owner": str(lead_of_las.pk),
            "evidence": SimpleUploadedFile("payload.exe", b"MZ\x90\x00", "application/x-msdos"),
        },
    )
    assert response.status_code == 400
    assert_field_error(response, "evidence", "File extension “exe” is not allowed.")
    assert_typed(response, "The signed agreement is attached.</textarea>")
    assert_checked(response, "status", CommitmentStatus.IN_PROGRESS)
    assert db_state() == before
    assert _files_under(media_root) == []


def test_evidence_over_the_size_limit_is_refused_next_to_the_file(
    client, las_commitment, lead_of_las, media_root, settings
):
    settings.PORTAL_EVIDENCE_MAX_BYTES = 1_048_576
    client.force_login(lead_of_las)
    before = db_state()
    big = PDF + b"0" * (1_572_864 - len(PDF))  # 1.5 MB
    response = client.post(
        las_commitment.get_absolute_url(),
        {
            "status": CommitmentStatus.IN_PROGRESS,
            "note": "Scans of every signed page.",
            "owner": str(lead_of_las.pk),
            "evidence": SimpleUploadedFile("agreement.pdf", big, "application/pdf"),
        },
    )
    assert response.status_code == 400
    assert_field_error(
        response,
        "evidence",
        "The file is 1.5 MB; evidence can be up to 1 MB. Attach a smaller file or a link in "
        "the note.",
    )
    assert_typed(response, "Scans of every signed page.</textarea>")
    assert db_state() == before
    assert _files_under(media_root) == []


def test_evidence_uploaded_is_downloaded_by_member_trusts_only(
    client, las_commitment, lead_of_las, staff_of_las, lead_of_yas, media_root
):
    client.force_login(lead_of_las)
    response = client.post(
        las_commitment.get_absolute_url(),
        {
            "status": CommitmentStatus.IN_PROGRESS,
            "note": "The signed agreement.",
            "owner": str(lead_of_las.pk),
            "evidence": SimpleUploadedFile("agreement.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    update = CommitmentUpdate.objects.get(commitment=las_commitment)
    assert update.evidence_name == "agreement.pdf"
    download = reverse("projects:evidence", args=[update.public_id])

    client.force_login(staff_of_las)
    page = client.get(las_commitment.get_absolute_url())
    assert f'href="{download}"' in html_of(page)
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="agreement.pdf"'

    client.force_login(lead_of_yas)
    response = client.get(download)
    assert response.status_code == 404
    assert PDF not in response.content


def test_sending_a_commitment_back_without_a_reason_is_refused(
    client, las_commitment, lead_of_las, admin_of_southern
):
    commitment_update(
        commitment=las_commitment,
        actor=lead_of_las,
        status=CommitmentStatus.DONE,
        note="Signed.",
    )
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(
        reverse("projects:commitment_review", args=[las_commitment.public_id]),
        {"decision": "send_back", "reason": "   "},
    )
    assert response.status_code == 400
    assert_field_error(
        response, "reason", "Say why the commitment is sent back, so the trust knows what to do."
    )
    assert_checked(response, "decision", "send_back")
    assert db_state() == before
    las_commitment.refresh_from_db()
    assert las_commitment.status == CommitmentStatus.DONE


# --- Closing, and refusals of actions without a form -------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_closing_a_project_needs_a_reason(client, open_project, admin_of_southern, reason):
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(reverse("projects:close", args=[open_project.slug]), {"reason": reason})
    assert response.status_code == 400
    assert_field_error(response, "reason", "This field is required.")
    assert db_state() == before
    open_project.refresh_from_db()
    assert open_project.status == ProjectStatus.OPEN


@pytest.fixture
def draft_without_milestones(southern, admin_of_southern, las):
    return project_create(
        collaboration=southern,
        actor=admin_of_southern,
        lead_trust=las,
        title="Joint driver training",
        summary="Driver training recognised between the southern trusts.",
        category=Category.TRAINING,
        terms="Each trust accepts the others' driver training.",
        funding_model=FundingModel.EQUAL_SPLIT,
        total_budget=Decimal("10000.00"),
        staff_days_per_trust=2,
        decision_deadline=days(14),
        planned_start=days(21),
        planned_end=days(200),
    )


def test_opening_a_project_without_milestones_shows_the_refusal(
    client, draft_without_milestones, admin_of_southern
):
    project = draft_without_milestones
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(reverse("projects:open", args=[project.slug]), follow=True)
    assert_message_after_redirect(
        response,
        project.get_absolute_url(),
        "Add at least one milestone first: it is what each trust commits to deliver.",
    )
    assert db_state() == before


def test_starting_a_project_no_trust_opted_into_shows_the_refusal(
    client, open_project, admin_of_southern
):
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(reverse("projects:start", args=[open_project.slug]), follow=True)
    assert_message_after_redirect(
        response,
        open_project.get_absolute_url(),
        "No trust has opted in, so the project cannot start. Wait for decisions, or close the "
        "project.",
    )
    assert db_state() == before


def test_completing_a_project_with_commitments_outstanding_shows_the_refusal(
    client, active_project, admin_of_southern
):
    client.force_login(admin_of_southern)
    before = db_state()
    response = client.post(reverse("projects:complete", args=[active_project.slug]), follow=True)
    assert_message_after_redirect(
        response,
        active_project.get_absolute_url(),
        "2 commitments are not yet accepted. Accept every delivered commitment, or close the "
        "project instead.",
    )
    assert db_state() == before


def test_a_refused_form_records_no_audit_event(client, open_project, lead_of_las):
    """The audit trail is part of what must not be half-saved."""
    client.force_login(lead_of_las)
    events = AuditEvent.objects.count()
    client.post(
        reverse("projects:decide", args=[open_project.slug, "las"]),
        {"decision": "in", "reason": "", "contact": str(lead_of_las.pk), "confirmed": "on"},
    )
    assert AuditEvent.objects.count() == events
