"""Ideas from staff: drafts that keep what was typed, submission, attachments, following."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from collab.audit import audit_record
from collab.dates import long_day
from collab.models import User
from wellbeing.errors import IdeaRefused
from wellbeing.models import Campaign, Follow, Idea, IdeaAttachment, IdeaStatus, Theme

# What the submission form asks for, in the words of its labels.
REQUIRED_TO_SUBMIT = {
    "title": "Enter a title for your idea",
    "problem": "Describe the problem you see",
    "proposal": "Describe your idea",
}


def _check_attachments(idea: Idea, attachments: list[UploadedFile]) -> None:
    limit = settings.PORTAL_IDEA_ATTACHMENT_MAX_BYTES
    allowed = settings.PORTAL_IDEA_ATTACHMENT_EXTENSIONS
    if idea.attachments.count() + len(attachments) > settings.PORTAL_IDEA_ATTACHMENTS_PER_IDEA:
        raise IdeaRefused(
            f"An idea can have up to {settings.PORTAL_IDEA_ATTACHMENTS_PER_IDEA} attachments.",
            field="attachments",
        )
    for upload in attachments:
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in allowed:
            raise IdeaRefused(
                f"“{upload.name}” is not a picture or a PDF. Attach a "
                f"{', '.join(allowed[:-1]).upper()} or {allowed[-1].upper()} file.",
                field="attachments",
            )
        if upload.size > limit:
            raise IdeaRefused(
                f"“{upload.name}” is {filesizeformat(upload.size)}; attachments can be up "
                f"to {filesizeformat(limit)}.",
                field="attachments",
            )


def idea_save(
    *,
    author: User,
    campaign: Campaign,
    idea: Idea | None = None,
    title: str,
    problem: str,
    proposal: str,
    suggested_theme: Theme | None,
    show_author_name: bool,
    attachments: list[UploadedFile] | None = None,
    submit: bool,
) -> Idea:
    """Save the author's draft, and submit it if asked. A draft may be incomplete; submitting
    needs a title, the problem and the idea, and the campaign open for ideas."""
    attachments = attachments or []
    if idea is not None and (idea.author_id != author.pk or not idea.is_draft):
        raise IdeaRefused("Only a draft of your own can be changed.")
    if author.home_trust_id is None:
        raise IdeaRefused("Ideas come from staff of a trust; your account has no trust.")
    if suggested_theme is not None and suggested_theme.campaign_id != campaign.pk:
        raise IdeaRefused("Choose one of this campaign's themes.", field="suggested_theme")
    if submit:
        values = {"title": title, "problem": problem, "proposal": proposal}
        for field, message in REQUIRED_TO_SUBMIT.items():
            if not values[field].strip():
                raise IdeaRefused(message, field=field)
        if not campaign.accepts_ideas():
            raise IdeaRefused(
                f"This campaign took ideas until {long_day(campaign.closes_on)}, so it cannot "
                "take yours now. You can still vote and comment on the ideas sent in."
            )
    with transaction.atomic():
        if idea is None:
            idea = Idea(author=author, campaign=campaign, trust_id=author.home_trust_id)
        else:
            idea = Idea.objects.select_for_update().get(pk=idea.pk)
            if not idea.is_draft:  # sent in meanwhile, from another tab
                raise IdeaRefused("Only a draft of your own can be changed.")
        idea.title = title.strip()
        idea.problem = problem.strip()
        idea.proposal = proposal.strip()
        idea.suggested_theme = suggested_theme
        idea.show_author_name = show_author_name
        idea.updated_at = timezone.now()
        if submit:
            idea.status = IdeaStatus.SUBMITTED
            idea.submitted_at = idea.updated_at
            idea.theme = suggested_theme
        idea.full_clean(exclude=["campaign", "author", "trust"])
        idea.save()
        _check_attachments(idea, attachments)
        for upload in attachments:
            attachment = IdeaAttachment(
                idea=idea, original_name=upload.name[:200], size=upload.size
            )
            attachment.file = upload
            attachment.full_clean(exclude=["idea"])
            attachment.save()
        if not submit:
            # Drafts are the author's own: the record says a draft changed, not what it says.
            audit_record(
                actor=author,
                action="idea.draft_saved",
                target=idea,
                trust=idea.trust,
                context=campaign,
                after={"attachments_added": [upload.name for upload in attachments]},
            )
        if submit:
            # The campaign's count of ideas sent in, in the same transaction (the list reads it).
            Campaign.objects.filter(pk=campaign.pk).update(idea_count=F("idea_count") + 1)
            Follow.objects.get_or_create(idea=idea, person=author)
            audit_record(
                actor=author,
                action="idea.submitted",
                target=idea,
                trust=idea.trust,
                context=campaign,
                after={
                    "title": idea.title,
                    "theme": suggested_theme.name if suggested_theme else None,
                },
            )
    return idea


def idea_draft_discard(*, idea: Idea, author: User) -> None:
    if idea.author_id != author.pk or not idea.is_draft:
        raise IdeaRefused("Only a draft of your own can be discarded.")
    with transaction.atomic():
        files = [attachment.file for attachment in idea.attachments.all()]
        audit_record(
            actor=author,
            action="idea.draft_discarded",
            target=idea,
            trust=idea.trust,
            context=idea.campaign,
            before={"title": idea.title, "attachments": len(files)},
        )
        idea.delete()
        # Only once the rows are gone for good: a failed delete must not lose the files.
        transaction.on_commit(lambda: [file.delete(save=False) for file in files])


def attachment_remove(*, attachment: IdeaAttachment, author: User) -> None:
    idea = attachment.idea
    if idea.author_id != author.pk or not idea.is_draft:
        raise IdeaRefused("Attachments can be removed from your own draft only.")
    with transaction.atomic():
        audit_record(
            actor=author,
            action="idea.attachment_removed",
            target=idea,
            trust=idea.trust,
            context=idea.campaign,
            before={"attachment": attachment.original_name},
        )
        attachment.delete()
        transaction.on_commit(lambda: attachment.file.delete(save=False))


def idea_follow(*, idea: Idea, person: User, follow: bool) -> bool:
    """Follow (or stop following) an idea; returns whether the person now follows it."""
    if idea.is_draft:
        raise IdeaRefused("A draft cannot be followed.")
    with transaction.atomic():
        if follow:
            changed = Follow.objects.get_or_create(idea=idea, person=person)[1]
        else:
            changed = Follow.objects.filter(idea=idea, person=person).delete()[0] > 0
        if changed:
            audit_record(
                actor=person,
                action="idea.followed" if follow else "idea.unfollowed",
                target=idea,
                trust=person.home_trust,
                context=idea.campaign,
            )
    return follow
