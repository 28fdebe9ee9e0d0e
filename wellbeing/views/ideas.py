"""Staff pages of ideas: submitting (drafts first if they like), the idea's page with its vote,
follow button and comments, and the attachments."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from collab.errors import PortalError
from collab.forms import add_service_error
from collab.models import User
from collab.page_cache import (
    IDEAS,
    CachedPart,
    cached_values,
    render_with_csrf_slot,
    with_csrf_token,
)
from collab.page_header import page_header_part
from wellbeing.forms import (
    SAVE_DRAFT,
    SUBMIT,
    CommentForm,
    FollowForm,
    IdeaForm,
    VoteForm,
)
from wellbeing.models import (
    EDIT_WINDOW_MINUTES,
    Campaign,
    Comment,
    CommentStatus,
    Idea,
    Vote,
)
from wellbeing.selectors import (
    CommentThreads,
    comment_page_number,
    comment_threads,
    get_attachment_for_user,
    get_campaign_for_user,
    get_idea_for_page,
    get_idea_for_user,
    get_idea_to_take_part,
    idea_marks,
    idea_project_progress,
    ideas_visible_to,
)
from wellbeing.services.ideas import attachment_remove as remove_attachment
from wellbeing.services.ideas import idea_draft_discard, idea_follow, idea_save
from wellbeing.services.votes import vote_cast, vote_withdraw

# --- Submitting an idea ---------------------------------------------------------------------------


def _idea_form_page(request: HttpRequest, campaign: Campaign, idea: Idea | None) -> HttpResponse:
    themes = list(campaign.themes.all())
    if request.method == "POST":
        action = SUBMIT if request.POST.get("action") == SUBMIT else SAVE_DRAFT
        form = IdeaForm(request.POST, request.FILES, themes=themes, action=action)
        if form.is_valid():
            try:
                idea = idea_save(
                    author=request.user, campaign=campaign, idea=idea, **form.idea_fields()
                )
            except (PortalError, ValidationError) as error:
                add_service_error(form, error)
            else:
                if form.submitting:
                    messages.success(
                        request,
                        "Your idea is submitted. You follow it, so you will hear when its "
                        "status changes or someone comments.",
                    )
                    return redirect(idea)
                messages.success(
                    request, "Your draft is saved. You can come back to it from My ideas."
                )
                return redirect("wellbeing:draft_edit", idea_id=idea.public_id)
    else:
        form = IdeaForm(initial=_initial(idea, themes), themes=themes)
    return render(
        request,
        "wellbeing/idea_form.html",
        {
            "form": form,
            "campaign": campaign,
            "idea": idea,
            "attachments": list(idea.attachments.all()) if idea else [],
            "accepts_ideas": campaign.accepts_ideas(),
            # Browsers never send a chosen file back: say so when the page comes back.
            "files_to_choose_again": bool(form.errors and request.FILES),
        },
        status=400 if form.errors else 200,
    )


def _initial(idea: Idea | None, themes: list) -> dict:
    if idea is None:
        return {"show_author_name": "yes"}
    theme = next((t for t in themes if t.pk == idea.suggested_theme_id), None)
    return {
        "title": idea.title,
        "problem": idea.problem,
        "proposal": idea.proposal,
        "suggested_theme": str(theme.public_id) if theme else "",
        "show_author_name": "yes" if idea.show_author_name else "no",
    }


@require_http_methods(["GET", "POST"])
@login_required
def idea_new(request: HttpRequest, campaign_slug: str) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, campaign_slug)
    if not request.user.has_perm("wellbeing.take_part", campaign):
        raise PermissionDenied
    return _idea_form_page(request, campaign, None)


@require_http_methods(["GET", "POST"])
@login_required
def draft_edit(request: HttpRequest, idea_id) -> HttpResponse:
    idea = get_idea_for_user(request.user, idea_id)
    if not request.user.has_perm("wellbeing.edit_draft", idea):
        raise PermissionDenied
    if not idea.is_draft:
        messages.info(request, "This idea is submitted, so it can no longer be changed.")
        return redirect(idea)
    return _idea_form_page(request, idea.campaign, idea)


@require_http_methods(["GET"])
@login_required
def my_ideas(request: HttpRequest) -> HttpResponse:
    ideas = list(
        ideas_visible_to(request.user)
        .filter(author_id=request.user.pk)
        .select_related("campaign", "theme")
        .order_by("-updated_at", "-pk")
    )
    return render(
        request,
        "wellbeing/my_ideas.html",
        {
            "drafts": [idea for idea in ideas if idea.is_draft],
            "submitted": [idea for idea in ideas if not idea.is_draft],
        },
    )


# --- The idea's page --------------------------------------------------------------------------


def vote_context(request: HttpRequest, idea: Idea, *, voted=None, vote_count=None) -> dict:
    """What the vote widget (wellbeing/includes/vote.html) shows."""
    if voted is None:
        voted = Vote.objects.filter(idea=idea, person_id=request.user.pk).exists()
    return {
        "idea": idea,
        "voted": voted,
        "vote_count": idea.vote_count if vote_count is None else vote_count,
        "can_vote": request.user.has_perm("wellbeing.take_part", idea.campaign)
        and idea.takes_votes
        and idea.campaign.accepts_votes_and_comments(),
    }


def idea_page_context(
    request: HttpRequest,
    idea: Idea,
    *,
    comment_form: CommentForm | None = None,
    reply_to: str = "",
) -> dict:
    """Everything the idea's page shows, with the page of comment threads asked for (`page`).
    `comment_form` is a refused comment (or reply, to the comment `reply_to`), shown with its
    error and the text kept, on the page of the thread it replies to."""
    user = request.user
    campaign = idea.campaign
    is_moderator = user.has_perm("wellbeing.review_idea", idea)
    can_take_part = user.has_perm("wellbeing.take_part", campaign)
    discussion_open = idea.takes_votes and campaign.accepts_votes_and_comments()
    marks = idea_marks(idea, user)
    comments_context = {
        "idea": idea,
        "is_moderator": is_moderator,
        "can_comment": can_take_part and discussion_open,
        "can_flag": can_take_part,
        "edit_window": EDIT_WINDOW_MINUTES,
        "comment_max": CommentForm.base_fields["body"].max_length,
        "Status": CommentStatus,
    }
    number = request.GET.get("page")
    author_shown = idea.show_author_name or is_moderator or idea.author_id == user.pk
    actions_context = (
        vote_context(request, idea, voted=marks.voted)
        | comments_context
        | {"following": marks.following, "discussion_open": discussion_open}
    )
    # The header, the idea, its column of actions and (below) the comments come from the cache
    # in one round trip.
    parts = [
        page_header_part(request),
        _idea_body(idea, author_shown, marks.merged_in_count),
        _idea_actions(actions_context),
    ]
    if comment_form is None and not marks.commented_or_flagged:
        # Nothing in the comments is this person's own: they look as they do to everyone with
        # the same rights, so they come from the cache (issue 7).
        header, body, actions, comments = cached_values(
            [*parts, _shared_comments(comments_context, number)]
        )
        threads_context = {
            "comments_part": with_csrf_token(comments, request),
            "comment_error_anchor": "comment-body",
        }
        reply_to = ""
    else:
        header, body, actions = cached_values(parts)
        threads_context, reply_to = _own_comments(
            idea, user, number, comment_form=comment_form, reply_to=reply_to
        )
    side_part, blank_comment_form = (with_csrf_token(part, request) for part in actions)
    return (
        actions_context
        | threads_context
        | {
            "portal_header": with_csrf_token(header, request),
            "campaign": campaign,
            "body_part": mark_safe(body),  # noqa: S308 - our template
            "side_part": side_part,
            # A refused comment is shown in the form, with its error and the text kept.
            "comment_form_part": blank_comment_form if comment_form is None else None,
            "progress": idea_project_progress(idea, user),
            "comment_form": comment_form if comment_form and not reply_to else CommentForm(),
            "comment_error_form": comment_form,
            "reply_to": reply_to,
        }
    )


def _idea_actions(context: dict) -> CachedPart:
    """The page's column of actions (the vote widget, following, the review link) and its
    blank comment form: the same for everyone with the same vote, follow and rights, so they
    come from the cache (issue 7), with a slot for the viewer's CSRF token in each form. Whether
    voting and comments are open is in the key: a campaign closes with the calendar, not with
    a change that renews the ideas area."""

    def render_actions() -> tuple[str, str]:
        return (
            render_with_csrf_slot("wellbeing/includes/idea_side.html", context),
            render_with_csrf_slot(
                "wellbeing/includes/comment_form.html",
                context | {"comment_form": CommentForm(), "reply_to": ""},
            ),
        )

    names = ("voted", "following", "is_moderator", "can_vote", "can_comment", "discussion_open")
    shown = tuple(context[name] for name in names)
    return CachedPart(IDEAS, "idea-actions", (context["idea"].pk, *shown), render_actions)


def _idea_body(idea: Idea, author_shown: bool, merged_in_count: int) -> CachedPart:
    """The idea itself (its facts, problem, proposal and attachments), the same for everyone
    who sees its author's name, or not: from the cache (issue 7). Only a miss loads the
    author, trust, theme and merged idea it shows, and the attachments."""

    def render_body() -> str:
        shown = Idea.objects.select_related(
            "campaign", "author", "trust", "theme", "merged_into"
        ).get(pk=idea.pk)
        return render_to_string(
            "wellbeing/includes/idea_body.html",
            {
                "idea": shown,
                "campaign": shown.campaign,
                "author_shown": author_shown,
                "merged_in_count": merged_in_count,
                "attachments": list(shown.attachments.all()),
            },
        )

    return CachedPart(IDEAS, "idea-body", (idea.pk, author_shown, merged_in_count), render_body)


def _shared_comments(comments_context: dict, number: str | None) -> CachedPart:
    """The page of threads as anyone with the same rights sees it, with a slot for the
    viewer's CSRF token in its forms."""
    idea = comments_context["idea"]

    def render_threads() -> str:
        comments = comment_threads(idea, None, number)
        for thread in comments.threads:
            _mark_comments(thread, viewer=None)
        return render_with_csrf_slot(
            "wellbeing/includes/idea_comments.html",
            comments_context | _threads_context(comments),
        )

    rights = (
        comments_context["is_moderator"],
        comments_context["can_comment"],
        comments_context["can_flag"],
    )
    return CachedPart(IDEAS, "idea-comments", (idea.pk, number, *rights), render_threads)


def _own_comments(
    idea: Idea, user: User, number: str | None, *, comment_form: CommentForm | None, reply_to: str
) -> tuple[dict, str]:
    """The page of threads for a person with comments or reports of their own on it, or with
    a refused reply to show in its thread; and the reply's comment, if it is on the page."""
    replied_to = (
        Comment.objects.filter(idea=idea, public_id=reply_to).select_related("parent").first()
        if reply_to
        else None
    )
    if replied_to is not None:
        number = comment_page_number(replied_to)
    comments = comment_threads(idea, user, number)
    reply_thread = None
    for thread in comments.threads:
        _mark_comments(thread, viewer=user)
        for comment in [thread, *thread.thread_replies]:
            if reply_to and str(comment.public_id) == reply_to:
                # A reply to a reply joins its thread: its box is the thread's.
                reply_thread = thread
    if reply_thread is None:
        reply_to = ""
    elif comment_form is not None:
        reply_thread.error_form = comment_form
    context = _threads_context(comments)
    context["comment_error_anchor"] = (
        reply_thread.reply_field_id if reply_thread else "comment-body"
    )
    return context, reply_to


def _mark_comments(thread: Comment, viewer: User | None) -> None:
    """What the thread's comments show of the viewer's own: none of it when `viewer` is None."""
    now = timezone.now()
    edit_window = datetime.timedelta(minutes=EDIT_WINDOW_MINUTES)
    thread.reply_field_id = f"reply-{thread.public_id}"
    thread.error_form = None
    for comment in [thread, *thread.thread_replies]:
        comment.is_mine = viewer is not None and comment.author_id == viewer.pk
        comment.can_edit = (
            comment.is_mine
            and comment.status == CommentStatus.VISIBLE
            and now <= comment.created_at + edit_window
        )


def _threads_context(comments: CommentThreads) -> dict:
    return {
        "threads": comments.threads,
        "comment_total": comments.total,
        "comment_page": comments.page,
        "comment_page_range": comments.page.paginator.get_elided_page_range(
            comments.page.number, on_each_side=1, on_ends=1
        ),
    }


@require_http_methods(["GET"])
@login_required
def idea_detail(request: HttpRequest, idea_id) -> HttpResponse:
    # With its campaign alone: what the page shows of its author, theme and the idea it was
    # merged into is kept in the page cache with the rest of the idea (`_idea_body`).
    idea = get_idea_for_page(request.user, idea_id)
    if idea.is_draft:
        # Only its author sees a draft (the selector answers 404 to anyone else).
        return redirect("wellbeing:draft_edit", idea_id=idea.public_id)
    return render(request, "wellbeing/idea_detail.html", idea_page_context(request, idea))


@require_http_methods(["POST"])
@login_required
def vote(request: HttpRequest, idea_id) -> HttpResponse:
    """Vote, or take the vote back. With htmx the vote widget is swapped in place; without
    JavaScript the browser comes back to the idea with a message."""
    idea = get_idea_to_take_part(request.user, idea_id)
    if not request.user.has_perm("wellbeing.take_part", idea.campaign):
        raise PermissionDenied
    form = VoteForm(request.POST)
    context, error = None, ""
    if not form.is_valid():
        error = "Choose whether to vote or take your vote back."
    else:
        voting = form.cleaned_data["action"] == "vote"
        service = vote_cast if voting else vote_withdraw
        try:
            state = service(idea=idea, person=request.user)
        except PortalError as refused:
            error = refused.message
        else:
            context = vote_context(
                request, idea, voted=state.voted, vote_count=state.vote_count
            ) | {"vote_message": "Your vote is counted." if voting else "Your vote is taken back."}
    if context is None:
        idea.refresh_from_db(fields=["vote_count", "status"])
        context = vote_context(request, idea) | {"vote_error": error}
    if request.htmx:
        # htmx swaps only 2xx answers: a refusal comes back as the widget with its message.
        return render(request, "wellbeing/includes/vote.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, context["vote_message"])
    return redirect(idea)


@require_http_methods(["POST"])
@login_required
def follow(request: HttpRequest, idea_id) -> HttpResponse:
    """Anyone who can see an idea may follow it (the author does from submitting)."""
    idea = get_idea_for_user(request.user, idea_id)
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether to follow the idea or stop following it.")
        return redirect(idea)
    try:
        following = idea_follow(
            idea=idea, person=request.user, follow=form.cleaned_data["action"] == "follow"
        )
    except PortalError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            "You follow this idea: you will hear when its status changes or someone comments."
            if following
            else "You no longer follow this idea.",
        )
    return redirect(idea)


@require_http_methods(["GET"])
@login_required
def attachment_download(request: HttpRequest, attachment_id) -> FileResponse:
    """Attachments are served only to people who can see the idea, never from a public folder,
    and always as a download (a picture or PDF is never shown inside the portal's pages)."""
    attachment = get_attachment_for_user(request.user, attachment_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)


# --- Discarding a draft, removing an attachment from it ------------------------------------------


@require_http_methods(["POST"])
@login_required
def draft_discard(request: HttpRequest, idea_id) -> HttpResponse:
    """The author deletes their draft and its attachments. Nobody else sees a draft (404); a
    submitted idea stays (it belongs to the campaign now)."""
    idea = get_idea_for_user(request.user, idea_id)
    if not request.user.has_perm("wellbeing.edit_draft", idea):
        raise PermissionDenied
    if not idea.is_draft:
        messages.info(request, "This idea is submitted, so it can no longer be deleted.")
        return redirect(idea)
    title = idea.title
    try:
        idea_draft_discard(idea=idea, author=request.user)
    except PortalError as refused:
        messages.error(request, refused.message)
        return redirect(idea)
    messages.success(
        request, f"Your draft “{title}” is deleted." if title else "Your draft is deleted."
    )
    return redirect("wellbeing:my_ideas")


@require_http_methods(["POST"])
@login_required
def attachment_remove(request: HttpRequest, attachment_id) -> HttpResponse:
    """The author takes an attachment off their draft, from the draft's form."""
    attachment = get_attachment_for_user(request.user, attachment_id)
    idea = attachment.idea
    if not request.user.has_perm("wellbeing.edit_draft", idea):
        raise PermissionDenied
    if not idea.is_draft:
        messages.info(request, "This idea is submitted, so its attachments can no longer change.")
        return redirect(idea)
    name = attachment.original_name
    try:
        remove_attachment(attachment=attachment, author=request.user)
    except PortalError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"“{name}” is removed from your draft.")
    return redirect("wellbeing:draft_edit", idea_id=idea.public_id)
