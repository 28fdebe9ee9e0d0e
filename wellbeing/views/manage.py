"""The programme admins' side of staff ideas: running campaigns, moderating comments, reviewing,
merging and promoting ideas into joint projects.

Each view reaches its campaign, idea or comment through `wellbeing.selectors` (404 for another
tenant, exactly like one that does not exist), then checks the moderator's permission (403 for
someone who can see it but not manage it), then calls one service. A refusal is shown next to
the field it concerns, with everything that was typed kept.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from collab.errors import PortalError
from collab.forms import add_service_error
from wellbeing.forms_manage import (
    CampaignForm,
    MergeForm,
    ModerationForm,
    PromoteForm,
    StatusForm,
    ThemeForm,
)
from wellbeing.models import Campaign, Comment, Idea, IdeaStatus
from wellbeing.selectors import get_campaign_for_user, get_comment_for_user, get_idea_for_user
from wellbeing.selectors_manage import (
    administered_collaborations,
    merge_targets,
    promotion_collaborations,
    promotion_lead_trusts,
)
from wellbeing.selectors_manage import (
    moderation_queue as queued_comments,
)
from wellbeing.services import review
from wellbeing.services.campaigns import campaign_create, campaign_update
from wellbeing.services.comments import comment_moderate as moderate_comment_service

GET_POST = ["GET", "POST"]


def moderated_campaign(request: HttpRequest, campaign_slug: str) -> Campaign:
    campaign = get_campaign_for_user(request.user, campaign_slug)
    if not request.user.has_perm("wellbeing.moderate_campaign", campaign):
        raise PermissionDenied
    return campaign


def reviewed_idea(request: HttpRequest, idea_id: str) -> Idea:
    idea = get_idea_for_user(request.user, idea_id)
    if not request.user.has_perm("wellbeing.review_idea", idea):
        raise PermissionDenied
    return idea


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """The page, answering 400 when the form it carries has errors."""
    form = context.get("form")
    status = 400 if form is not None and form.errors else 200
    return render(request, f"wellbeing/manage/{template}", context, status=status)


# --- Campaigns ----------------------------------------------------------------------------------


@require_http_methods(GET_POST)
@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    """A new campaign for a collaboration the person administers, or a national one (site
    admins). Nobody else has anything to choose: 403."""
    collaborations = list(administered_collaborations(request.user))
    national = request.user.is_site_admin
    if not collaborations and not national:
        raise PermissionDenied
    form = CampaignForm(request.POST or None, collaborations=collaborations, national=national)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_create(
                actor=request.user,
                collaboration=form.collaboration_choice(),
                themes=form.cleaned_data["themes"],
                **form.campaign_fields(),
            )
        except (PortalError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"The campaign “{campaign.title}” is saved.")
            return redirect(campaign)
    return _render(request, "campaign_form.html", {"form": form, "campaign": None})


@require_http_methods(GET_POST)
@login_required
def campaign_edit(request: HttpRequest, campaign_slug: str) -> HttpResponse:
    campaign = moderated_campaign(request, campaign_slug)
    form = CampaignForm(request.POST or None, collaborations=None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            campaign_update(
                campaign=campaign,
                actor=request.user,
                themes=form.cleaned_data["themes"],
                **form.campaign_fields(),
            )
        except (PortalError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The campaign is saved.")
            return redirect(campaign)
    return _render(request, "campaign_form.html", {"form": form, "campaign": campaign})


# --- Moderation ---------------------------------------------------------------------------------


def _moderation_auto_id(comment: Comment) -> str:
    """Each comment's form on the queue page has its own field ids; the names stay the same."""
    return f"id_{comment.public_id}_%s"


def _render_queue(
    request: HttpRequest, campaign: Campaign, posted: tuple[Comment, ModerationForm] | None = None
) -> HttpResponse:
    entries = []
    for item in queued_comments(campaign):
        if posted is not None and posted[0].pk == item.comment.pk:
            form = posted[1]
        else:
            form = ModerationForm(auto_id=_moderation_auto_id(item.comment))
        entries.append((item, form))
    context = {"campaign": campaign, "entries": entries, "form": posted[1] if posted else None}
    return _render(request, "moderation.html", context)


@require_http_methods(["GET"])
@login_required
def moderation_queue(request: HttpRequest, campaign_slug: str) -> HttpResponse:
    """The campaign's comments hidden by three flags, waiting for a moderator's decision."""
    campaign = moderated_campaign(request, campaign_slug)
    return _render_queue(request, campaign)


@require_http_methods(GET_POST)
@login_required
def comment_moderate(request: HttpRequest, comment_id: str) -> HttpResponse:
    """Restore a hidden comment or remove it, with a reason kept in the record.

    The decision is posted from the moderation queue; a link to it (from the comment on the
    idea's page) leads to the comment's form there."""
    comment = get_comment_for_user(request.user, comment_id)
    if not request.user.has_perm("wellbeing.moderate_comment", comment):
        raise PermissionDenied
    campaign = comment.idea.campaign
    queue_url = reverse("wellbeing:moderation", kwargs={"campaign_slug": campaign.slug})
    if request.method == "GET":
        return redirect(f"{queue_url}#comment-{comment.public_id}")
    form = ModerationForm(request.POST, auto_id=_moderation_auto_id(comment))
    if form.is_valid():
        restore = form.cleaned_data["decision"]
        try:
            moderate_comment_service(
                comment=comment,
                moderator=request.user,
                restore=restore,
                reason=form.cleaned_data["reason"],
            )
        except PortalError as error:
            if error.field not in form.fields:
                # Someone decided first: the comment has left the queue, so say so above it.
                messages.error(request, error.message)
                return redirect(queue_url)
            add_service_error(form, error)
        else:
            done = "restored: everyone can read it again" if restore else "removed"
            messages.success(
                request, f"The comment by {comment.author.full_name} on “{comment.idea}” is {done}."
            )
            return redirect(queue_url)
    return _render_queue(request, campaign, posted=(comment, form))


# --- Review: status, theme, merging, promotion --------------------------------------------------


@require_http_methods(GET_POST)
@login_required
def idea_review(request: HttpRequest, idea_id: str) -> HttpResponse:
    """Move an idea to one of the statuses allowed next, with a public reason; or re-theme it.

    The page has two forms; the posted one says which with its `action` button."""
    idea = reviewed_idea(request, idea_id)
    next_statuses = [str(s) for s in review.NEXT_STATUSES.get(idea.status, [])]
    status_form = StatusForm(next_statuses=next_statuses)
    theme_form = ThemeForm(campaign=idea.campaign, initial={"theme": idea.theme})
    posted = None
    if request.method == "POST":
        if request.POST.get("action") == "theme":
            theme_form = posted = ThemeForm(request.POST, campaign=idea.campaign)
            if theme_form.is_valid():
                try:
                    review.idea_retheme(
                        idea=idea, actor=request.user, theme=theme_form.cleaned_data["theme"]
                    )
                except PortalError as error:
                    add_service_error(theme_form, error)
                else:
                    theme = theme_form.cleaned_data["theme"]
                    messages.success(
                        request, f"Filed under “{theme}”." if theme else "The theme is cleared."
                    )
                    return redirect(idea)
        else:
            status_form = posted = StatusForm(request.POST, next_statuses=next_statuses)
            if status_form.is_valid():
                try:
                    idea = review.idea_change_status(
                        idea=idea,
                        actor=request.user,
                        status=status_form.cleaned_data["status"],
                        reason=status_form.cleaned_data["reason"],
                    )
                except PortalError as error:
                    add_service_error(status_form, error)
                else:
                    messages.success(
                        request,
                        f"The idea is now {idea.get_status_display().lower()}. Its author and "
                        "followers are told.",
                    )
                    return redirect(idea)
    context = {
        "idea": idea,
        "campaign": idea.campaign,
        "status_form": status_form,
        "theme_form": theme_form,
        "form": posted,
        "can_promote": idea.status == IdeaStatus.SHORTLISTED and idea.project_id is None,
    }
    return _render(request, "idea_review.html", context)


@require_http_methods(GET_POST)
@login_required
def idea_merge(request: HttpRequest, idea_id: str) -> HttpResponse:
    """Merge a duplicate into another open idea of the campaign."""
    idea = reviewed_idea(request, idea_id)
    form = MergeForm(request.POST or None, targets=merge_targets(idea))
    if request.method == "POST" and form.is_valid():
        into = form.cleaned_data["into"]
        try:
            review.idea_merge(
                idea=idea, into=into, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except PortalError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"“{idea.title}” is merged into this idea. Its votes and followers moved across.",
            )
            return redirect(into)
    return _render(
        request, "idea_merge.html", {"idea": idea, "campaign": idea.campaign, "form": form}
    )


@require_http_methods(GET_POST)
@login_required
def idea_promote(request: HttpRequest, idea_id: str) -> HttpResponse:
    """A shortlisted idea becomes a joint project draft; the idea is adopted, and each links to
    the other."""
    idea = reviewed_idea(request, idea_id)
    collaborations = promotion_collaborations(request.user)
    form = PromoteForm(
        request.POST or None,
        idea=idea,
        collaborations=collaborations,
        lead_trusts=promotion_lead_trusts(collaborations),
    )
    if request.method == "POST" and form.is_valid():
        try:
            project = review.idea_promote(
                idea=idea,
                actor=request.user,
                collaboration=form.cleaned_data["collaboration"],
                lead_trust=form.cleaned_data["lead_trust"],
                **form.terms(),
            )
        except (PortalError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"“{idea.title}” is adopted and is now this joint project draft. Add its "
                "milestones, then open it for decisions.",
            )
            return redirect(project)
    context = {
        "idea": idea,
        "campaign": idea.campaign,
        "form": form,
        "can_promote": idea.status == IdeaStatus.SHORTLISTED and idea.project_id is None,
    }
    return _render(request, "idea_promote.html", context)
