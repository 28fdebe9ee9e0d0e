"""The programme team's side: statuses, themes, merging duplicates, and promoting an idea into
a joint project. Every change is audited and tells the idea's followers."""

from typing import Any

from django.db import transaction

from collab.audit import audit_record
from collab.models import Collaboration, Trust, User
from collab.notifications.outbox import notify
from projects.models import JointProject
from projects.services import project_create
from wellbeing import notifications as events
from wellbeing.errors import IdeaRefused
from wellbeing.models import Follow, Idea, IdeaStatus, Theme, Vote
from wellbeing.permissions import moderates_idea

# Where each status may go next by a plain status change. Merging and promotion have their own
# services; "not taken forward" needs a public reason.
NEXT_STATUSES = {
    IdeaStatus.SUBMITTED: [IdeaStatus.UNDER_REVIEW, IdeaStatus.NOT_TAKEN_FORWARD],
    IdeaStatus.UNDER_REVIEW: [
        IdeaStatus.SHORTLISTED,
        IdeaStatus.NOT_TAKEN_FORWARD,
        IdeaStatus.SUBMITTED,
    ],
    IdeaStatus.SHORTLISTED: [
        IdeaStatus.ADOPTED,
        IdeaStatus.NOT_TAKEN_FORWARD,
        IdeaStatus.UNDER_REVIEW,
    ],
    IdeaStatus.ADOPTED: [],
    IdeaStatus.NOT_TAKEN_FORWARD: [IdeaStatus.UNDER_REVIEW],
    IdeaStatus.MERGED: [],
    IdeaStatus.DRAFT: [],
}


def _check_moderator(actor: User, idea: Idea) -> None:
    if not moderates_idea(actor, idea):
        raise IdeaRefused("Only the campaign's programme admins can review its ideas.")


def idea_change_status(*, idea: Idea, actor: User, status: str, reason: str) -> Idea:
    reason = reason.strip()
    _check_moderator(actor, idea)
    with transaction.atomic():
        idea = Idea.objects.select_for_update().select_related("campaign").get(pk=idea.pk)
        if status not in NEXT_STATUSES[idea.status]:
            raise IdeaRefused(
                f"An idea that is {idea.get_status_display().lower()} cannot become "
                f"{IdeaStatus(status).label.lower()}.",
                field="status",
            )
        if status == IdeaStatus.NOT_TAKEN_FORWARD and not reason:
            raise IdeaRefused(
                "Say why the idea is not taken forward: everyone can read the reason.",
                field="reason",
            )
        before = idea.status
        idea.status = status
        idea.status_reason = reason
        idea.save(update_fields=["status", "status_reason"])
        _record_status(idea, actor, before, reason)
    return idea


def _record_status(idea: Idea, actor: User, before: str, reason: str) -> None:
    audit_record(
        actor=actor,
        action="idea.status_changed",
        target=idea,
        trust=idea.trust,
        context=idea.campaign,
        before=before,
        after=idea.status,
        reason=reason,
    )
    notify(events.idea_status_changed, idea, step=f"{before}->{idea.status}", actor=actor)


def idea_retheme(*, idea: Idea, actor: User, theme: Theme | None) -> Idea:
    _check_moderator(actor, idea)
    if theme is not None and theme.campaign_id != idea.campaign_id:
        raise IdeaRefused("Choose one of this campaign's themes.", field="theme")
    with transaction.atomic():
        idea = Idea.objects.select_for_update().get(pk=idea.pk)
        before = idea.theme.name if idea.theme else None
        idea.theme = theme
        idea.save(update_fields=["theme"])
        audit_record(
            actor=actor,
            action="idea.rethemed",
            target=idea,
            context=idea.campaign,
            before=before,
            after=theme.name if theme else None,
        )
    return idea


def idea_merge(*, idea: Idea, into: Idea, actor: User, reason: str) -> Idea:
    """Merge a duplicate into another idea of the campaign. Its votes and followers move across;
    someone who backed both counts once. The merged idea stays, pointing to the other."""
    _check_moderator(actor, idea)
    if idea.pk == into.pk:
        raise IdeaRefused("Choose a different idea to merge into.", field="into")
    if idea.campaign_id != into.campaign_id:
        raise IdeaRefused("Ideas can only be merged within one campaign.", field="into")
    with transaction.atomic():
        # Lock both in id order, so two merges at once cannot deadlock.
        locked = {
            i.pk: i
            for i in Idea.objects.select_for_update()
            .filter(pk__in=[idea.pk, into.pk])
            .order_by("pk")
        }
        idea, into = locked[idea.pk], locked[into.pk]
        if idea.status in (IdeaStatus.MERGED, IdeaStatus.DRAFT):
            raise IdeaRefused(f"This idea is {idea.get_status_display().lower()}.")
        if not into.takes_votes:
            raise IdeaRefused(
                f"“{into.title}” is {into.get_status_display().lower()}; merge into an open idea.",
                field="into",
            )
        backers = Vote.objects.filter(idea=into).values("person_id")
        moved_votes = (
            Vote.objects.filter(idea=idea).exclude(person_id__in=backers).update(idea=into)
        )
        Vote.objects.filter(idea=idea).delete()
        followers = Follow.objects.filter(idea=into).values("person_id")
        Follow.objects.filter(idea=idea).exclude(person_id__in=followers).update(idea=into)
        # Counts from the rows themselves: exact whatever happened before.
        for target in (idea, into):
            target.vote_count = Vote.objects.filter(idea=target).count()
        before = idea.status
        idea.status = IdeaStatus.MERGED
        idea.merged_into = into
        idea.status_reason = reason.strip()
        idea.save(update_fields=["status", "merged_into", "status_reason", "vote_count"])
        into.save(update_fields=["vote_count"])
        audit_record(
            actor=actor,
            action="idea.merged",
            target=idea,
            trust=idea.trust,
            context=idea.campaign,
            before=before,
            after={"merged_into": str(into.public_id), "votes_moved": moved_votes},
            reason=reason,
        )
        # The merged idea's followers now follow the other one: tell them there.
        notify(events.idea_status_changed, idea, step=f"{before}->merged", actor=actor)
    return idea


def idea_promote(
    *,
    idea: Idea,
    actor: User,
    collaboration: Collaboration,
    lead_trust: Trust,
    **terms: Any,
) -> JointProject:
    """Turn a shortlisted idea into a joint project draft in a chosen collaboration; the idea is
    adopted and both link to each other."""
    _check_moderator(actor, idea)
    # Site admins moderate national campaigns, whose ideas may become any collaboration's.
    if not (actor.is_site_admin or actor.has_perm("projects.create_project", collaboration)):
        raise IdeaRefused(
            f"Only programme admins of {collaboration.name} can start a project there.",
            field="collaboration",
        )
    with transaction.atomic():
        # Checked on the locked row: two admins promoting at once make one project.
        idea = Idea.objects.select_for_update().select_related("campaign").get(pk=idea.pk)
        if idea.status != IdeaStatus.SHORTLISTED:
            raise IdeaRefused("Shortlist the idea before turning it into a joint project.")
        if idea.project_id is not None:
            raise IdeaRefused("This idea is a joint project already.")
        terms.setdefault("title", idea.title)
        terms.setdefault("summary", idea.proposal[:1000])
        project = project_create(
            collaboration=collaboration, actor=actor, lead_trust=lead_trust, **terms
        )
        before = idea.status
        idea.project = project
        idea.status = IdeaStatus.ADOPTED
        idea.status_reason = f"It became the joint project “{project.title}”."
        idea.save(update_fields=["project", "status", "status_reason"])
        _record_status(idea, actor, before, idea.status_reason)
    return project
