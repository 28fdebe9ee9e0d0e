"""Submitting an idea: drafts keep what was typed, submitting needs the essentials and an
open campaign, attachments are checked, nothing half-saved is left behind."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from collab.models import AuditEvent
from tests.wellbeing.builders import day, open_campaign
from wellbeing.errors import IdeaRefused
from wellbeing.models import Campaign, Follow, Idea, IdeaAttachment, IdeaStatus
from wellbeing.services.ideas import attachment_remove, idea_draft_discard, idea_follow, idea_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(southern, admin_of_southern):
    return open_campaign(southern, admin_of_southern)


def _save(campaign, author, *, submit, idea=None, attachments=None, **fields):
    values = {"title": "", "problem": "", "proposal": ""} | fields
    return idea_save(
        author=author,
        campaign=campaign,
        idea=idea,
        suggested_theme=None,
        show_author_name=False,
        attachments=attachments,
        submit=submit,
        **values,
    )


def test_a_draft_may_be_incomplete_and_submitting_needs_all_three(campaign, staff_of_las):
    draft = _save(campaign, staff_of_las, submit=False, title="Rest areas")
    assert draft.status == IdeaStatus.DRAFT

    with pytest.raises(IdeaRefused) as refused:
        _save(campaign, staff_of_las, submit=True, idea=draft, title="Rest areas")
    assert refused.value.field == "problem"
    assert Idea.objects.get(pk=draft.pk).status == IdeaStatus.DRAFT

    idea = _save(
        campaign,
        staff_of_las,
        submit=True,
        idea=draft,
        title="Rest areas",
        problem="Crews wait hours at hospital with nowhere to sit.",
        proposal="Agree rest rooms with the acute trusts.",
    )
    assert (idea.pk, idea.status, idea.trust) == (
        draft.pk,
        IdeaStatus.SUBMITTED,
        staff_of_las.home_trust,
    )
    assert Follow.objects.filter(idea=idea, person=staff_of_las).exists()
    assert AuditEvent.objects.filter(action="idea.submitted").count() == 1


def test_a_closed_campaign_keeps_the_draft_but_takes_no_ideas(campaign, staff_of_las):
    Campaign.objects.filter(pk=campaign.pk).update(opens_on=day(-30), closes_on=day(-1))
    campaign.refresh_from_db()
    with pytest.raises(IdeaRefused, match="took ideas until"):
        _save(campaign, staff_of_las, submit=True, title="T", problem="P", proposal="I")
    assert Idea.objects.count() == 0


def test_someone_elses_draft_cannot_be_changed(campaign, staff_of_las, lead_of_las):
    draft = _save(campaign, staff_of_las, submit=False, title="Mine")
    with pytest.raises(IdeaRefused, match="your own"):
        _save(campaign, lead_of_las, submit=False, idea=draft, title="Theirs")


def test_a_wrong_file_type_or_size_leaves_nothing_half_saved(campaign, staff_of_las, settings):
    settings.PORTAL_IDEA_ATTACHMENT_MAX_BYTES = 10
    script = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(IdeaRefused) as refused:
        _save(campaign, staff_of_las, submit=False, title="T", attachments=[script])
    assert refused.value.field == "attachments"
    big = SimpleUploadedFile("photo.jpg", b"x" * 11, content_type="image/jpeg")
    with pytest.raises(IdeaRefused, match="is 11\xa0bytes; attachments can be up to 10\xa0bytes"):
        _save(campaign, staff_of_las, submit=False, title="T", attachments=[big])
    assert Idea.objects.count() == 0
    assert IdeaAttachment.objects.count() == 0


def test_a_picture_is_attached(campaign, staff_of_las, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("rest-room.png", b"\x89PNG....", content_type="image/png")
    idea = _save(campaign, staff_of_las, submit=False, title="T", attachments=[photo])
    attachment = idea.attachments.get()
    assert attachment.original_name == "rest-room.png"
    assert attachment.file.read() == b"\x89PNG...."


def test_every_change_by_the_author_is_in_the_record(campaign, staff_of_las, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("rest-room.png", b"\x89PNG....", content_type="image/png")
    draft = _save(campaign, staff_of_las, submit=False, title="T", attachments=[photo])
    draft_id = str(draft.pk)
    attachment_remove(attachment=draft.attachments.get(), author=staff_of_las)
    idea_draft_discard(idea=draft, author=staff_of_las)

    actions = AuditEvent.objects.filter(actor=staff_of_las).order_by("pk")
    assert list(actions.values_list("action", "target_id")) == [
        ("idea.draft_saved", draft_id),
        ("idea.attachment_removed", draft_id),
        ("idea.draft_discarded", draft_id),
    ]


def test_following_and_unfollowing_are_recorded_once_each(campaign, staff_of_las, lead_of_las):
    idea = _save(campaign, staff_of_las, submit=True, title="T", problem="P", proposal="I")
    for follow in (True, True, False, False):
        idea_follow(idea=idea, person=lead_of_las, follow=follow)

    actions = AuditEvent.objects.filter(actor=lead_of_las).order_by("pk")
    assert list(actions.values_list("action", flat=True)) == ["idea.followed", "idea.unfollowed"]
