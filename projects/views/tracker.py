"""The commitment tracker pages and their CSV and XLSX downloads, for programme admins.

Each view reaches its object through the access helper (404 across tenants), then checks the
tracker permission (403). The filters come from the query string; a value that is not one of
the choices is shown next to its field and answers 400, with the page still rendered.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from collab.models import Collaboration
from collab.page_cache import PROJECTS, CachedPart, cached_values, with_csrf_token
from collab.page_header import page_header_part
from collab.selectors import current_member_trusts, get_collaboration_for_page
from projects import exports
from projects.forms_tracker import CollaborationTrackerFilterForm, ProjectTrackerFilterForm
from projects.models import JointProject
from projects.selectors import get_project_for_user
from projects.tracker import (
    CollaborationTracker,
    ProjectTracker,
    project_participations,
)
from projects.tracker import collaboration_tracker as build_collaboration_tracker
from projects.tracker import project_tracker as build_project_tracker


def _collaboration_for_admin(request: HttpRequest, collaboration_slug: str) -> Collaboration:
    collaboration = get_collaboration_for_page(request.user, collaboration_slug)
    if not request.user.has_perm("projects.view_collaboration_tracker", collaboration):
        raise PermissionDenied
    return collaboration


def _project_for_admin(request: HttpRequest, project_slug: str) -> JointProject:
    project = get_project_for_user(request.user, project_slug)
    if not request.user.has_perm("projects.view_project_tracker", project):
        raise PermissionDenied
    return project


def _check_format(export_format: str) -> None:
    if export_format not in exports.FORMATS:
        raise Http404("No such download format.")


def _collaboration_form(
    request: HttpRequest, collaboration: Collaboration
) -> CollaborationTrackerFilterForm:
    form = CollaborationTrackerFilterForm(request.GET, trusts=current_member_trusts(collaboration))
    form.is_valid()
    return form


def _collaboration_filtered(
    request: HttpRequest,
    collaboration: Collaboration,
    form: CollaborationTrackerFilterForm,
    *,
    paged: bool,
) -> CollaborationTracker:
    """The tracker the query string asks for: the page shows a page of projects at a time
    (`paged`), the downloads every project."""
    return build_collaboration_tracker(
        collaboration,
        form.filters(),
        trusts=form.trusts,
        paged=paged,
        page=request.GET.get("page"),
    )


def _project_filtered(
    request: HttpRequest, project: JointProject
) -> tuple[ProjectTrackerFilterForm, ProjectTracker]:
    participations = project_participations(project)
    form = ProjectTrackerFilterForm(request.GET, trusts=[p.trust for p in participations])
    form.is_valid()
    tracker = build_project_tracker(project, form.filters(), participations=participations)
    return form, tracker


def _render_collaboration(request: HttpRequest, collaboration: Collaboration) -> HttpResponse:
    # The page number is the grid's own: the filters and the downloads' links go without it.
    query = request.GET.copy()
    query.pop("page", None)

    def render_content() -> tuple[bool, str]:
        form = _collaboration_form(request, collaboration)
        context = {
            "collaboration": collaboration,
            "form": form,
            "tracker": _collaboration_filtered(request, collaboration, form, paged=True),
            "querystring": query.urlencode(),
        }
        content = render_to_string("projects/includes/collaboration_tracker_content.html", context)
        return bool(form.errors), content

    # Every programme admin of the collaboration sees the same tracker for the same filters
    # on the same day: it is built once per change to any project (collab.page_cache), and so
    # is the filter form's check against the member trusts. Read with the header.
    tracker_part = CachedPart(
        PROJECTS,
        "collaboration-tracker-page",
        (collaboration.pk, request.GET.urlencode(), timezone.localdate()),
        render_content,
    )
    header, (has_errors, content) = cached_values([page_header_part(request), tracker_part])
    return render(
        request,
        "projects/tracker_collaboration.html",
        {
            "portal_header": with_csrf_token(header, request),
            "collaboration": collaboration,
            "has_errors": has_errors,
            "tracker_content": mark_safe(content),  # noqa: S308 - our template
        },
        status=400 if has_errors else 200,
    )


def _render_project(
    request: HttpRequest,
    project: JointProject,
    form: ProjectTrackerFilterForm,
    tracker: ProjectTracker,
) -> HttpResponse:
    context = {
        "project": project,
        "collaboration": project.collaboration,
        "form": form,
        "tracker": tracker,
        "querystring": request.GET.urlencode(),
    }
    status = 400 if form.errors else 200
    return render(request, "projects/tracker_project.html", context, status=status)


@require_GET
@login_required
def collaboration_tracker(request: HttpRequest, collaboration_slug: str) -> HttpResponse:
    """Member trusts against the collaboration's projects, coloured by RAG with words."""
    collaboration = _collaboration_for_admin(request, collaboration_slug)
    return _render_collaboration(request, collaboration)


@require_GET
@login_required
def collaboration_tracker_export(
    request: HttpRequest, collaboration_slug: str, export_format: str
) -> HttpResponse:
    """The collaboration tracker as CSV or XLSX: one row per trust and project."""
    collaboration = _collaboration_for_admin(request, collaboration_slug)
    _check_format(export_format)
    form = _collaboration_form(request, collaboration)
    if form.errors:
        return _render_collaboration(request, collaboration)
    tracker = _collaboration_filtered(request, collaboration, form, paged=False)
    return exports.collaboration_tracker_export(tracker, export_format)


@require_GET
@login_required
def project_tracker(request: HttpRequest, project_slug: str) -> HttpResponse:
    """Trusts against the project's milestones: each trust's commitment, with its RAG."""
    project = _project_for_admin(request, project_slug)
    form, tracker = _project_filtered(request, project)
    return _render_project(request, project, form, tracker)


@require_GET
@login_required
def project_tracker_export(
    request: HttpRequest, project_slug: str, export_format: str
) -> HttpResponse:
    """The project tracker as CSV or XLSX: one row per commitment."""
    project = _project_for_admin(request, project_slug)
    _check_format(export_format)
    form, tracker = _project_filtered(request, project)
    if form.errors:
        return _render_project(request, project, form, tracker)
    return exports.project_tracker_export(tracker, export_format)
