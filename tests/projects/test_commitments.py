"""Trusts report progress on what they owe; the programme admins accept it or send it back."""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from collab.audit import audit_context
from projects.errors import CommitmentRefused
from projects.models import CommitmentStatus, CommitmentUpdate
from projects.services import commitment_review, commitment_update, project_close
from tests.projects.helpers import events_for, noon, refused

PDF = b"%PDF-1.4\n% evidence of the data sharing agreement\n%%EOF\n"


@pytest.fixture
def commitment(active_project, las):
    """LAS's commitment for the first milestone, owned by its lead."""
    return active_project.participations.get(trust=las).commitments.first()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _set_status(commitment, status):
    commitment.status = status
    commitment.save()


def _files_under(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# --- Updates by the trust -------------------------------------------------------------------


def test_a_trust_reports_progress_with_a_status_and_a_note(
    commitment, lead_of_las, las, active_project
):
    with time_machine.travel(noon(1), tick=False):
        update = commitment_update(
            commitment=commitment,
            actor=lead_of_las,
            status=CommitmentStatus.IN_PROGRESS,
            note="  Draft agreement with our lawyers. ",
        )

    update.refresh_from_db()
    assert (update.author, update.note) == (lead_of_las, "Draft agreement with our lawyers.")
    assert (update.status_before, update.status_after) == (
        CommitmentStatus.NOT_STARTED,
        CommitmentStatus.IN_PROGRESS,
    )
    assert not update.evidence
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.IN_PROGRESS
    assert commitment.updated_at == update.created_at == noon(1)
    [event] = events_for(commitment)
    assert (event.action, event.actor, event.trust) == ("commitment.updated", lead_of_las, las)
    assert event.context == audit_context(active_project)
    assert event.before == {"status": CommitmentStatus.NOT_STARTED, "owner": lead_of_las.pk}
    assert event.after == {
        "status": CommitmentStatus.IN_PROGRESS,
        "owner": lead_of_las.pk,
        "evidence": None,
    }
    assert event.reason == "Draft agreement with our lawyers."


@pytest.mark.parametrize(
    "status", [CommitmentStatus.ACCEPTED, CommitmentStatus.WITHDRAWN, "finished"]
)
def test_a_trust_can_only_set_the_statuses_offered_to_it(commitment, lead_of_las, status):
    with refused(CommitmentRefused, match="Choose one of the statuses offered.", field="status"):
        commitment_update(commitment=commitment, actor=lead_of_las, status=status, note="Done!")


@pytest.mark.parametrize("note", ["", "   "])
def test_a_blocked_commitment_needs_a_note_saying_what_blocks_it(commitment, lead_of_las, note):
    with refused(CommitmentRefused, match="Say what is blocking", field="note"):
        commitment_update(
            commitment=commitment, actor=lead_of_las, status=CommitmentStatus.BLOCKED, note=note
        )


def test_an_update_must_change_something(commitment, lead_of_las):
    with refused(CommitmentRefused, match="Change the status, or add a note", field="note"):
        commitment_update(
            commitment=commitment, actor=lead_of_las, status=CommitmentStatus.NOT_STARTED, note=""
        )


def test_a_note_alone_is_an_update(commitment, lead_of_las):
    update = commitment_update(
        commitment=commitment,
        actor=lead_of_las,
        status=CommitmentStatus.NOT_STARTED,
        note="Starting next week.",
    )
    assert update.status_before == update.status_after == CommitmentStatus.NOT_STARTED
    assert CommitmentUpdate.objects.filter(commitment=commitment).count() == 1


def test_the_owner_must_be_someone_at_the_trust(commitment, lead_of_las, lead_of_secamb):
    with refused(CommitmentRefused, match="The owner must be someone at LAS.", field="owner"):
        commitment_update(
            commitment=commitment,
            actor=lead_of_las,
            status=CommitmentStatus.IN_PROGRESS,
            note="Handing over.",
            owner=lead_of_secamb,
        )


def test_the_owner_must_still_have_an_active_account(commitment, lead_of_las, staff_of_las):
    staff_of_las.is_active = False
    staff_of_las.save()
    with refused(CommitmentRefused, match="The owner must be someone at LAS.", field="owner"):
        commitment_update(
            commitment=commitment,
            actor=lead_of_las,
            status=CommitmentStatus.NOT_STARTED,
            note="",
            owner=staff_of_las,
        )


def test_the_owner_can_be_handed_to_someone_else_at_the_trust(
    commitment, lead_of_las, staff_of_las
):
    commitment_update(
        commitment=commitment,
        actor=lead_of_las,
        status=CommitmentStatus.NOT_STARTED,
        note="",
        owner=staff_of_las,
    )
    commitment.refresh_from_db()
    assert commitment.owner == staff_of_las
    [event] = events_for(commitment)
    assert (event.before["owner"], event.after["owner"]) == (lead_of_las.pk, staff_of_las.pk)


def test_evidence_is_stored_through_the_file_storage(
    commitment, lead_of_las, media_root, active_project
):
    evidence = SimpleUploadedFile("agreement.pdf", PDF, content_type="application/pdf")
    update = commitment_update(
        commitment=commitment,
        actor=lead_of_las,
        status=CommitmentStatus.DONE,
        note="Signed by all parties.",
        evidence=evidence,
    )

    update.refresh_from_db()
    assert update.evidence_name == "agreement.pdf"
    assert update.evidence.name.startswith(f"evidence/{active_project.pk}/")
    assert default_storage.exists(update.evidence.name)
    [stored] = _files_under(media_root)
    assert stored == media_root / update.evidence.name
    assert stored.read_bytes() == PDF
    [event] = events_for(commitment)
    assert event.after["evidence"] == "agreement.pdf"


def test_evidence_of_a_type_not_accepted_is_refused_and_nothing_is_saved(
    commitment, lead_of_las, media_root
):
    evidence = SimpleUploadedFile("payload.exe", b"MZ\x90\x00", content_type="application/x-msdos")
    with refused(ValidationError, match="is not allowed", field="evidence"):
        commitment_update(
            commitment=commitment,
            actor=lead_of_las,
            status=CommitmentStatus.DONE,
            note="See attached.",
            evidence=evidence,
        )
    assert _files_under(media_root) == []


def test_evidence_over_the_size_limit_is_refused_and_nothing_is_saved(
    commitment, lead_of_las, media_root, settings
):
    settings.PORTAL_EVIDENCE_MAX_BYTES = len(PDF) - 1
    evidence = SimpleUploadedFile("agreement.pdf", PDF, content_type="application/pdf")
    with refused(ValidationError, match="Attach a smaller file", field="evidence"):
        commitment_update(
            commitment=commitment,
            actor=lead_of_las,
            status=CommitmentStatus.DONE,
            note="See attached.",
            evidence=evidence,
        )
    assert _files_under(media_root) == []


@pytest.mark.parametrize(
    ("status", "shown"),
    [(CommitmentStatus.ACCEPTED, "accepted"), (CommitmentStatus.WITHDRAWN, "withdrawn")],
)
def test_a_closed_commitment_cannot_change(commitment, lead_of_las, status, shown):
    _set_status(commitment, status)
    with refused(CommitmentRefused, match=f"This commitment is {shown}; it cannot change."):
        commitment_update(
            commitment=commitment,
            actor=lead_of_las,
            status=CommitmentStatus.IN_PROGRESS,
            note="Reopening.",
        )


def test_commitments_of_a_closed_project_cannot_change(
    commitment, active_project, lead_of_las, admin_of_southern
):
    project_close(project=active_project, actor=admin_of_southern, reason="Stopped.")
    with refused(
        CommitmentRefused, match="only change while the project is active; this one is closed"
    ):
        commitment_update(
            commitment=commitment,
            actor=lead_of_las,
            status=CommitmentStatus.IN_PROGRESS,
            note="Carrying on.",
        )


# --- Review by the programme admins ---------------------------------------------------------


@pytest.mark.parametrize("accept", [True, False], ids=["accept", "send-back"])
@pytest.mark.parametrize(
    "status", [CommitmentStatus.NOT_STARTED, CommitmentStatus.IN_PROGRESS, CommitmentStatus.BLOCKED]
)
def test_only_a_commitment_marked_done_can_be_reviewed(
    commitment, admin_of_southern, status, accept
):
    _set_status(commitment, status)
    shown = commitment.get_status_display().lower()
    with refused(
        CommitmentRefused,
        match=f"marked as done can be accepted or sent back; this one is {shown}.",
    ):
        commitment_review(
            commitment=commitment, actor=admin_of_southern, accept=accept, reason="Reviewed."
        )


def test_an_accepted_commitment_cannot_be_reviewed_again(commitment, admin_of_southern):
    _set_status(commitment, CommitmentStatus.DONE)
    commitment_review(commitment=commitment, actor=admin_of_southern, accept=True, reason="")
    with refused(CommitmentRefused, match="this one is accepted."):
        commitment_review(commitment=commitment, actor=admin_of_southern, accept=True, reason="")


def test_accepting_a_done_commitment_records_who_accepted_it(commitment, admin_of_southern, las):
    _set_status(commitment, CommitmentStatus.DONE)
    commitment_review(commitment=commitment, actor=admin_of_southern, accept=True, reason="")

    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.ACCEPTED
    assert commitment.accepted_by == admin_of_southern
    assert commitment.accepted_at == commitment.updated_at
    [update] = commitment.updates.all()
    assert (update.status_before, update.status_after, update.author) == (
        CommitmentStatus.DONE,
        CommitmentStatus.ACCEPTED,
        admin_of_southern,
    )
    [event] = events_for(commitment)
    assert (event.action, event.actor, event.trust) == (
        "commitment.accepted",
        admin_of_southern,
        las,
    )
    assert (event.before, event.after) == (CommitmentStatus.DONE, CommitmentStatus.ACCEPTED)


@pytest.mark.parametrize("reason", ["", "  "])
def test_sending_a_commitment_back_needs_a_reason(commitment, admin_of_southern, reason):
    _set_status(commitment, CommitmentStatus.DONE)
    with refused(CommitmentRefused, match="Say why the commitment is sent back", field="reason"):
        commitment_review(
            commitment=commitment, actor=admin_of_southern, accept=False, reason=reason
        )


def test_a_commitment_sent_back_returns_to_in_progress_with_the_reason(
    commitment, admin_of_southern
):
    _set_status(commitment, CommitmentStatus.DONE)
    commitment_review(
        commitment=commitment,
        actor=admin_of_southern,
        accept=False,
        reason=" The agreement is not signed by the Caldicott Guardian. ",
    )

    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.IN_PROGRESS
    assert commitment.accepted_by is None
    [update] = commitment.updates.all()
    assert update.note == "The agreement is not signed by the Caldicott Guardian."
    assert update.status_after == CommitmentStatus.IN_PROGRESS
    [event] = events_for(commitment)
    assert event.action == "commitment.sent_back"
    assert event.reason == "The agreement is not signed by the Caldicott Guardian."


def test_commitments_of_a_closed_project_cannot_be_reviewed(
    commitment, active_project, admin_of_southern
):
    _set_status(commitment, CommitmentStatus.DONE)
    project_close(project=active_project, actor=admin_of_southern, reason="Stopped.")
    with refused(CommitmentRefused, match="this one is closed"):
        commitment_review(commitment=commitment, actor=admin_of_southern, accept=True, reason="")
