"""Comments on an idea: posting and replying, editing within the edit window, and flagging."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from collab.errors import PortalError
from collab.forms import add_service_error
from wellbeing.forms import CommentForm, FlagForm
from wellbeing.models import EDIT_WINDOW_MINUTES, Comment
from wellbeing.selectors import (
    LAST_PAGE,
    comment_page_number,
    get_comment_for_user,
    get_idea_to_take_part,
)
from wellbeing.services import comments as services
from wellbeing.views.ideas import idea_page_context


def _comment_url(comment: Comment, *, just_posted: bool = False) -> str:
    """The idea's page that shows the comment (its threads come a page at a time). A comment
    just posted starts the newest thread, on the last page: no need to count the threads
    before it (issue 7)."""
    if just_posted and comment.parent_id is None:
        page = f"?page={LAST_PAGE}"
    else:
        number = comment_page_number(comment)
        page = f"?page={number}" if number > 1 else ""
    return f"{comment.idea.get_absolute_url()}{page}#comment-{comment.public_id}"


@require_http_methods(["POST"])
@login_required
def comment_post(request: HttpRequest, idea_id) -> HttpResponse:
    """A comment, or a reply (`parent`). A refusal shows the idea's page again with the error
    next to the box and the text kept."""
    # With its campaign alone: a refusal shows the idea's page again, whose idea part comes
    # from the page cache.
    idea = get_idea_to_take_part(request.user, idea_id)
    if not request.user.has_perm("wellbeing.take_part", idea.campaign):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if "parent" in form.errors:
        raise Http404("No such comment.")
    parent_id = request.POST.get("parent", "")
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            # A comment the person cannot see, or of another idea, is not there to reply to.
            parent = get_comment_for_user(request.user, form.cleaned_data["parent"])
            if parent.idea_id != idea.pk:
                raise Http404("No such comment.")
        try:
            comment = services.comment_post(
                idea=idea, author=request.user, body=form.cleaned_data["body"], parent=parent
            )
        except (PortalError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, "Your reply is posted." if parent else "Your comment is posted."
            )
            return redirect(_comment_url(comment, just_posted=True))
    context = idea_page_context(request, idea, comment_form=form, reply_to=parent_id)
    return render(request, "wellbeing/idea_detail.html", context, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def comment_edit(request: HttpRequest, comment_id) -> HttpResponse:
    """The author changes their comment within the edit window; after it the service says so."""
    comment = get_comment_for_user(request.user, comment_id)
    if not request.user.has_perm("wellbeing.edit_comment", comment):
        raise PermissionDenied
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(
                comment=comment, person=request.user, body=form.cleaned_data["body"]
            )
        except (PortalError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Your comment is changed.")
            return redirect(_comment_url(comment))
    return render(
        request,
        "wellbeing/comment_edit.html",
        {
            "form": form,
            "comment": comment,
            "idea": comment.idea,
            "campaign": comment.idea.campaign,
            "edit_window": EDIT_WINDOW_MINUTES,
            "comment_max": CommentForm.base_fields["body"].max_length,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["POST"])
@login_required
def comment_flag(request: HttpRequest, comment_id) -> HttpResponse:
    """Report a comment to the moderators; enough reports hide it until one looks."""
    comment = get_comment_for_user(request.user, comment_id)
    if not request.user.has_perm("wellbeing.take_part", comment.idea.campaign):
        raise PermissionDenied
    form = FlagForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.comment_flag(comment=comment, person=request.user, reason=reason)
    except PortalError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, "Thank you. A moderator will look at the comment.")
    return redirect(_comment_url(comment))
