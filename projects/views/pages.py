"""Pages to read: the project list, a project's page, and a trust's projects."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from collab.models import User
from collab.page_cache import (
    PROJECTS,
    CachedPart,
    cached_part,
    cached_values,
    render_with_csrf_slot,
    with_csrf_token,
)
from collab.page_header import page_header_part
from collab.selectors import collaborations_visible_to, get_trust_for_user, visibility_of
from procurement.selectors import rounds_visible_to
from projects.forms import ProjectFilterForm
from projects.models import Category, JointProject, ProjectStatus
from projects.selectors import (
    commitments_of_viewer_trusts,
    get_project_for_page,
    has_decisions,
    led_trusts_without_participation,
    participations_led_by,
    project_page,
    trust_projects,
)
from projects.selectors import (
    project_list as select_projects,
)

PROJECTS_PER_PAGE = 25


@require_GET
@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    collaborations = list(collaborations_visible_to(user))
    form = ProjectFilterForm(request.GET or None, collaborations=collaborations)
    can_create_in = [c for c in collaborations if user.has_perm("projects.create_project", c)]

    def render_list() -> str:
        projects = select_projects(user, **form.filters())
        page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context = {"form": form, "page": page, "query": query.urlencode()}
        return render_to_string("projects/includes/project_list_content.html", context)

    # The filters and the list are the same for everyone who sees the same collaborations.
    vary_on = (*visibility_of(user), request.GET.urlencode(), timezone.localdate())
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "projects/list.html",
        {
            "can_create_in": can_create_in,
            "list_part": cached_part(PROJECTS, "project-list", vary_on, render_list),
        },
        status=status,
    )


@require_GET
@login_required
def project_detail(request: HttpRequest, project_slug: str) -> HttpResponse:
    project = get_project_for_page(request.user, project_slug)
    if not request.user.has_perm("projects.view_project", project):
        raise PermissionDenied
    is_admin = request.user.has_perm("projects.manage_project", project)
    parts = [page_header_part(request), _viewer_part(request.user, project, is_admin)]
    record_part = _record_part(project, is_admin)
    if is_admin and project.status == ProjectStatus.DRAFT:
        # A draft's milestones carry remove forms for its admins, with their own CSRF token:
        # its record is rendered for them alone.
        header, viewer = cached_values(parts)
        record = record_part.compute(request)
    else:
        # The header and both parts in one round trip to Redis.
        header, viewer, record = cached_values([*parts, record_part])
    cards_part, rounds_part = (with_csrf_token(part, request) for part in viewer)
    pending_requests_part, record_part = (mark_safe(part) for part in record)  # noqa: S308
    return render(
        request,
        "projects/detail.html",
        {
            "portal_header": with_csrf_token(header, request),
            "project": project,
            "cards_part": cards_part,
            "pending_requests_part": pending_requests_part,
            "rounds_part": rounds_part,
            "record_part": record_part,
        },
    )


def _viewer_part(user: User, project: JointProject, is_admin: bool) -> CachedPart:
    """What the page shows the person for their role: the admin's card, the cards of the
    trusts they lead and of those that could still join, the commitments of their own trusts,
    and the procurement rounds they may see. Each look-up depends only on the roles and home
    trust named in the key, so the parts are cached for everyone who shares them (a trust's
    staff, say), with a slot for the viewer's CSRF token in their forms."""

    def render_parts() -> tuple[str, str]:
        # A vehicles project runs its joint purchases as procurement rounds.
        is_vehicles = project.category == Category.VEHICLES_AND_PROCUREMENT
        context = {
            "project": project,
            "is_admin": is_admin,
            "decisions_made": is_admin
            and project.status == ProjectStatus.OPEN
            and has_decisions(project),
            "led_participations": participations_led_by(user, project),
            "viewer_trust_rows": commitments_of_viewer_trusts(user, project),
            "new_member_trusts": led_trusts_without_participation(user, project),
            "decisions_open": project.is_open_for_decisions(),
            "is_vehicles": is_vehicles,
            "rounds": list(rounds_visible_to(user).filter(project=project)) if is_vehicles else [],
            "can_start_round": is_vehicles
            and not project.is_finished
            and user.has_perm("procurement.create_round", project),
        }
        return (
            render_with_csrf_slot("projects/includes/project_viewer_cards.html", context),
            render_with_csrf_slot("projects/includes/project_rounds.html", context),
        )

    vary_on = (
        project.pk,
        is_admin,
        user.is_site_admin,
        sorted(user.administered_collaboration_ids),
        sorted(user.led_trust_ids),
        user.home_trust_id,
        timezone.localdate(),
    )
    return CachedPart(PROJECTS, "project-page-viewer", vary_on, render_parts)


def _record_part(project: JointProject, is_admin: bool) -> CachedPart:
    """The project's pending requests and its record (terms, milestones, decisions,
    progress, benefits, requests, timeline): the same for everyone who sees the page with
    the same `is_admin`, so cached, and rendered without the request so that nothing of the
    viewer can get in (`compute(request)` renders a draft's for its admins alone)."""

    def render_parts(for_request: HttpRequest | None = None) -> tuple[str, str]:
        context = {"project": project, "page": project_page(project), "is_admin": is_admin}
        return (
            render_to_string("projects/includes/pending_requests.html", context, for_request),
            render_to_string("projects/includes/project_record.html", context, for_request),
        )

    vary_on = (project.pk, is_admin, timezone.localdate())
    return CachedPart(PROJECTS, "project-page", vary_on, render_parts)


@require_GET
@login_required
def trust_projects_view(request: HttpRequest, trust_slug: str) -> HttpResponse:
    """The trust lead's view of the trust's joint projects."""
    trust = get_trust_for_user(request.user, trust_slug)
    if not request.user.has_perm("collab.view_trust_page", trust):
        raise PermissionDenied
    return render(
        request,
        "projects/trust_projects.html",
        {
            "trust": trust,
            "overview": trust_projects(trust),
            "is_lead": request.user.leads_trust(trust),
        },
    )
