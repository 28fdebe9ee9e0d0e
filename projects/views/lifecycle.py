"""Programme admins create projects and move them through their lifecycle."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from collab.errors import PortalError
from collab.forms import add_service_error
from collab.selectors import current_member_trusts, get_collaboration_for_user
from projects.forms import MilestoneForm, ProjectForm, ReasonForm
from projects.models import JointProject, Milestone
from projects.selectors import get_project_for_user
from projects.services import (
    milestone_remove,
    milestone_save,
    project_close,
    project_complete,
    project_create,
    project_open,
    project_start,
    project_update_terms,
)


def _managed_project(request: HttpRequest, project_slug: str) -> JointProject:
    project = get_project_for_user(request.user, project_slug)
    if not request.user.has_perm("projects.manage_project", project):
        raise PermissionDenied
    return project


@require_http_methods(["GET", "POST"])
@login_required
def project_new(request: HttpRequest, collaboration_slug: str) -> HttpResponse:
    collaboration = get_collaboration_for_user(request.user, collaboration_slug)
    if not request.user.has_perm("projects.create_project", collaboration):
        raise PermissionDenied
    form = ProjectForm(
        request.POST or None,
        collaboration=collaboration,
        member_trusts=current_member_trusts(collaboration),
    )
    if request.method == "POST" and form.is_valid():
        terms = form.terms()
        try:
            project = project_create(
                collaboration=collaboration,
                actor=request.user,
                lead_trust=terms.pop("lead_trust"),
                **terms,
            )
        except (PortalError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, "Draft saved. Add the milestones, then open it for decisions."
            )
            return redirect(project)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "collaboration": collaboration, "project": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def project_edit(request: HttpRequest, project_slug: str) -> HttpResponse:
    project = _managed_project(request, project_slug)
    # The form works on a copy, so a refused edit leaves the page's own project untouched.
    form = ProjectForm(
        request.POST or None,
        instance=JointProject.objects.get(pk=project.pk),
        collaboration=project.collaboration,
        member_trusts=current_member_trusts(project.collaboration),
    )
    if request.method == "POST" and form.is_valid():
        try:
            project_update_terms(project=project, actor=request.user, **form.terms())
        except (PortalError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The terms are saved.")
            return redirect(project)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "collaboration": project.collaboration, "project": project},
        status=400 if form.errors else 200,
    )


def _milestone_form_view(
    request: HttpRequest, project: JointProject, milestone: Milestone | None
) -> HttpResponse:
    form = MilestoneForm(request.POST or None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        try:
            milestone_save(
                project=project, actor=request.user, milestone=milestone, **form.cleaned_data
            )
        except (PortalError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Milestone “{form.cleaned_data['title']}” saved.")
            return redirect(project)
    return render(
        request,
        "projects/milestone_form.html",
        {"form": form, "project": project, "milestone": milestone},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def milestone_new(request: HttpRequest, project_slug: str) -> HttpResponse:
    return _milestone_form_view(request, _managed_project(request, project_slug), None)


def _milestone(project: JointProject, milestone_id) -> Milestone:
    milestone = project.milestones.filter(public_id=milestone_id).first()
    if milestone is None:
        raise Http404("No such milestone.")
    return milestone


@require_http_methods(["GET", "POST"])
@login_required
def milestone_edit(request: HttpRequest, project_slug: str, milestone_id) -> HttpResponse:
    project = _managed_project(request, project_slug)
    return _milestone_form_view(request, project, _milestone(project, milestone_id))


@require_POST
@login_required
def milestone_remove_view(request: HttpRequest, project_slug: str, milestone_id) -> HttpResponse:
    project = _managed_project(request, project_slug)
    milestone = _milestone(project, milestone_id)
    try:
        milestone_remove(milestone=milestone, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Milestone “{milestone.title}” removed.")
    return redirect(project)


def _transition(request: HttpRequest, project: JointProject, service, done: str) -> HttpResponse:
    try:
        service(project=project, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(project)


@require_POST
@login_required
def project_open_view(request: HttpRequest, project_slug: str) -> HttpResponse:
    return _transition(
        request,
        _managed_project(request, project_slug),
        project_open,
        "The project is open for decisions. Every member trust's lead can now opt in or out.",
    )


@require_POST
@login_required
def project_start_view(request: HttpRequest, project_slug: str) -> HttpResponse:
    return _transition(
        request,
        _managed_project(request, project_slug),
        project_start,
        "The project has started. The trusts that opted in are now committed.",
    )


@require_POST
@login_required
def project_complete_view(request: HttpRequest, project_slug: str) -> HttpResponse:
    return _transition(
        request,
        _managed_project(request, project_slug),
        project_complete,
        "The project is completed.",
    )


@require_http_methods(["GET", "POST"])
@login_required
def project_close_view(request: HttpRequest, project_slug: str) -> HttpResponse:
    project = _managed_project(request, project_slug)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project_close(project=project, actor=request.user, reason=form.cleaned_data["reason"])
        except (PortalError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The project is closed.")
            return redirect(project)
    return render(
        request,
        "projects/close.html",
        {"form": form, "project": project},
        status=400 if form.errors else 200,
    )
