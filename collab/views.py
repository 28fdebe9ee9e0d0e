"""Pages of the core: dashboard, trust and collaboration pages, invitations, health check."""

from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from kombu import Connection

from collab.dates import long_date
from collab.errors import PortalError
from collab.forms import AcceptInvitationForm, InvitationForm
from collab.models import Invitation
from collab.page_cache import PROJECTS, cached_part, cached_parts
from collab.selectors import (
    current_chair,
    current_collaborations_of_trust,
    current_member_trusts,
    dashboard_audience,
    dashboard_for,
    get_collaboration_for_user,
    get_invitation_for_user,
    get_trust_for_user,
    people_of_trust,
)
from collab.services import invitation_accept, invitation_create, invitation_revoke
from projects.selectors import (
    collaboration_benefit_totals,
    dashboard_projects,
    late_commitments_for,
)


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user

    def render_parts() -> tuple[str, str]:
        context = {"dashboard": dashboard_for(user), "projects": dashboard_projects(user)}
        return (
            render_to_string("collab/includes/dashboard_decisions.html", context),
            render_to_string("collab/includes/dashboard_overview.html", context),
        )

    # All but the person's own late commitments is shared by their trust's people with the
    # same roles, and cached for them.
    vary_on = (*dashboard_audience(user), timezone.localdate())
    decisions_part, overview_part = cached_parts(PROJECTS, "dashboard", vary_on, render_parts)
    # The late commitments are the person's own (and their led trusts'): cached for them alone.
    today = timezone.localdate()
    late_part = cached_part(
        PROJECTS,
        "dashboard-late",
        (user.pk, *sorted(user.led_trust_ids), today),
        lambda: render_to_string(
            "collab/includes/dashboard_late_commitments.html",
            {"late_commitments": late_commitments_for(user, today)},
        ),
    )
    return render(
        request,
        "collab/dashboard.html",
        {"decisions_part": decisions_part, "late_part": late_part, "overview_part": overview_part},
    )


@require_GET
@login_required
def trust_detail(request: HttpRequest, trust_slug: str) -> HttpResponse:
    trust = get_trust_for_user(request.user, trust_slug)
    if not request.user.has_perm("collab.view_trust_page", trust):
        raise PermissionDenied
    can_see_invitations = request.user.has_perm("collab.view_trust_invitations", trust)
    context = {
        "trust": trust,
        "people": people_of_trust(trust),
        "collaborations": current_collaborations_of_trust(trust),
        "invitations": trust.invitations.select_related("invited_by")[:50]
        if can_see_invitations
        else None,
        "can_invite": request.user.has_perm("collab.invite_to_trust", trust),
    }
    return render(request, "collab/trust_detail.html", context)


@require_GET
@login_required
def collaboration_detail(request: HttpRequest, collaboration_slug: str) -> HttpResponse:
    collaboration = get_collaboration_for_user(request.user, collaboration_slug)
    if not request.user.has_perm("collab.view_collaboration_page", collaboration):
        raise PermissionDenied
    context = {
        "collaboration": collaboration,
        "member_trusts": current_member_trusts(collaboration),
        "chair": current_chair(collaboration),
        "chair_terms": collaboration.chair_terms.select_related("trust")[:10],
        "benefit_totals": collaboration_benefit_totals(collaboration),
        "is_admin": request.user.administers_collaboration(collaboration),
    }
    return render(request, "collab/collaboration_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def invitation_new(request: HttpRequest, trust_slug: str) -> HttpResponse:
    trust = get_trust_for_user(request.user, trust_slug)
    if not request.user.has_perm("collab.invite_to_trust", trust):
        raise PermissionDenied
    form = InvitationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                invitation = invitation_create(
                    trust=trust, invited_by=request.user, **form.cleaned_data
                )
            except PortalError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(
                    request,
                    f"Invitation sent to {invitation.email}. "
                    f"It expires on {long_date(invitation.expires_at)}.",
                )
                return redirect(trust)
        status = 400
    context = {"form": form, "trust": trust, "valid_days": settings.INVITATION_VALID_DAYS}
    return render(request, "collab/invitation_new.html", context, status=status)


@require_POST
@login_required
def invitation_revoke_view(request: HttpRequest, key: str) -> HttpResponse:
    invitation = get_invitation_for_user(request.user, key)
    if not request.user.has_perm("collab.revoke_invitation", invitation):
        raise PermissionDenied
    try:
        invitation_revoke(invitation=invitation, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"The invitation to {invitation.email} is revoked.")
    return redirect(invitation.trust)


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, key: str) -> HttpResponse:
    # The key is the secret: anyone holding the link may accept, so no tenant check applies.
    invitation = get_object_or_404(
        Invitation.objects.select_related("trust", "invited_by"), key=key
    )
    if request.user.is_authenticated:
        return render(
            request, "collab/invitation_signed_in.html", {"invitation": invitation}, status=409
        )
    if not invitation.is_open():
        return render(
            request, "collab/invitation_closed.html", {"invitation": invitation}, status=410
        )
    form = AcceptInvitationForm(
        request.POST or None, invitation=invitation, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except PortalError as error:
            form.add_error(error.field, error.message)
        else:
            return perform_login(
                request,
                user,
                email_verification="none",
                redirect_url=resolve_url(settings.LOGIN_REDIRECT_URL),
            )
    status = 400 if form.errors else 200
    return render(
        request,
        "collab/invitation_accept.html",
        {"form": form, "invitation": invitation},
        status=status,
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: can we reach the database and the broker?"""
    checks = {"database": _database_answers(), "broker": _broker_answers()}
    healthy = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            **{name: "ok" if ok else "unavailable" for name, ok in checks.items()},
        },
        status=200 if healthy else 503,
    )


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_answers() -> bool:
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    try:
        with Connection(settings.CELERY_BROKER_URL, transport_options=options) as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        return True
    except Exception:
        return False
