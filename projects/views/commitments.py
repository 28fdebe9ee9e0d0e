"""A commitment's page: its updates and evidence, the trust's progress form, and review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from collab.errors import PortalError
from collab.forms import add_service_error
from projects.forms import CommitmentReviewForm, CommitmentUpdateForm
from projects.models import Commitment
from projects.selectors import get_commitment_for_user, get_evidence_for_user
from projects.services import commitment_review, commitment_update


def _page(request, commitment: Commitment, update_form, review_form) -> HttpResponse:
    user = request.user
    return render(
        request,
        "projects/commitment.html",
        {
            "commitment": commitment,
            "project": commitment.participation.project,
            "updates": commitment.updates.select_related("author"),
            "form": update_form,
            "review_form": review_form,
            "can_update": user.has_perm("projects.update_commitment", commitment),
            "can_review": user.has_perm("projects.review_commitment", commitment),
        },
        status=400 if (update_form.errors or review_form.errors) else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def commitment_detail(request: HttpRequest, commitment_id) -> HttpResponse:
    commitment = get_commitment_for_user(request.user, commitment_id)
    if not request.user.has_perm("projects.view_project", commitment.participation.project):
        raise PermissionDenied
    trust = commitment.participation.trust
    initial = {"status": commitment.status, "owner": commitment.owner_id}
    form = CommitmentUpdateForm(initial=initial, trust=trust)
    if request.method == "POST":
        if not request.user.has_perm("projects.update_commitment", commitment):
            raise PermissionDenied
        form = CommitmentUpdateForm(request.POST, request.FILES, initial=initial, trust=trust)
        if form.is_valid():
            data = form.cleaned_data
            owner = (
                data["owner"] if data["owner"] and data["owner"].pk != commitment.owner_id else None
            )
            try:
                commitment_update(
                    commitment=commitment,
                    actor=request.user,
                    status=data["status"],
                    note=data["note"],
                    evidence=data["evidence"],
                    owner=owner,
                )
            except (PortalError, ValidationError) as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Update saved.")
                return redirect(commitment)
    return _page(request, commitment, form, CommitmentReviewForm())


@require_POST
@login_required
def commitment_review_view(request: HttpRequest, commitment_id) -> HttpResponse:
    commitment = get_commitment_for_user(request.user, commitment_id)
    if not request.user.has_perm("projects.review_commitment", commitment):
        raise PermissionDenied
    form = CommitmentReviewForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"]
        try:
            commitment_review(
                commitment=commitment,
                actor=request.user,
                accept=accept,
                reason=form.cleaned_data["reason"],
            )
        except (PortalError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, "Commitment accepted." if accept else "Commitment sent back to the trust."
            )
            return redirect(commitment)
    trust = commitment.participation.trust
    update_form = CommitmentUpdateForm(
        initial={"status": commitment.status, "owner": commitment.owner_id}, trust=trust
    )
    return _page(request, commitment, update_form, form)


@require_GET
@login_required
def evidence_download(request: HttpRequest, update_id) -> FileResponse:
    """Evidence is only served to people who can see the project, never from a public folder."""
    update = get_evidence_for_user(request.user, update_id)
    if not request.user.has_perm("projects.view_project", update.commitment.participation.project):
        raise PermissionDenied
    return FileResponse(
        update.evidence.open("rb"), as_attachment=True, filename=update.evidence_name
    )
