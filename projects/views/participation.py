"""A trust's place in a project: deciding, asking to withdraw or join late, and benefits; and
the programme admins' decisions on those requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from collab.errors import PortalError
from collab.forms import add_service_error
from projects.forms import (
    BENEFIT_KINDS,
    BenefitForm,
    DecisionForm,
    LateJoinForm,
    RequestDecisionForm,
    WithdrawalForm,
)
from projects.models import LateJoinRequest, Participation, WithdrawalRequest
from projects.selectors import (
    get_participation_for_user,
    get_request_for_user,
    projected_share,
)
from projects.services import (
    benefit_record,
    late_join_request_create,
    late_join_request_decide,
    participation_decide,
    withdrawal_request_create,
    withdrawal_request_decide,
)


def _participation(
    request: HttpRequest, project_slug: str, trust_slug: str, perm: str
) -> Participation:
    participation = get_participation_for_user(request.user, project_slug, trust_slug)
    if not request.user.has_perm(perm, participation):
        raise PermissionDenied
    return participation


def _render(request, template, context, form) -> HttpResponse:
    return render(request, template, context | {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def decide(request: HttpRequest, project_slug: str, trust_slug: str) -> HttpResponse:
    """Opt the trust in or out, after seeing exactly what joining commits it to."""
    participation = _participation(
        request, project_slug, trust_slug, "projects.decide_participation"
    )
    project = participation.project
    initial = {"contact": participation.contact_id or request.user.pk}
    form = DecisionForm(request.POST or None, trust=participation.trust, initial=initial)
    if request.method == "POST" and form.is_valid():
        opt_in = form.cleaned_data["decision"]
        try:
            participation_decide(
                participation=participation,
                actor=request.user,
                opt_in=opt_in,
                reason=form.cleaned_data["reason"],
                contact=form.cleaned_data["contact"],
                confirmed=form.cleaned_data["confirmed"],
            )
        except (PortalError, ValidationError) as error:
            add_service_error(form, error)
        else:
            trust = participation.trust.short_name
            messages.success(
                request,
                f"{trust} has opted in. You can change this until the deadline."
                if opt_in
                else f"{trust} has opted out. You can change this until the deadline.",
            )
            return redirect(project)
    context = {
        "participation": participation,
        "project": project,
        "milestones": list(project.milestones.all()),
        "share": projected_share(participation),
        "decisions_open": project.is_open_for_decisions(),
    }
    return _render(request, "projects/decide.html", context, form)


@require_http_methods(["GET", "POST"])
@login_required
def withdrawal_new(request: HttpRequest, project_slug: str, trust_slug: str) -> HttpResponse:
    participation = _participation(
        request, project_slug, trust_slug, "projects.request_participation_change"
    )
    form = WithdrawalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            withdrawal_request_create(
                participation=participation, actor=request.user, **form.cleaned_data
            )
        except (PortalError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                "Your request to withdraw is with the programme admins. Your trust stays "
                "committed until they decide.",
            )
            return redirect(participation.project)
    context = {"participation": participation, "project": participation.project}
    return _render(request, "projects/withdrawal_form.html", context, form)


@require_http_methods(["GET", "POST"])
@login_required
def late_join_new(request: HttpRequest, project_slug: str, trust_slug: str) -> HttpResponse:
    participation = get_participation_for_user(
        request.user, project_slug, trust_slug, include_new_members=True
    )
    if not request.user.has_perm("projects.request_participation_change", participation):
        raise PermissionDenied
    project = participation.project
    form = LateJoinForm(
        request.POST or None, trust=participation.trust, initial={"contact": request.user.pk}
    )
    if request.method == "POST" and form.is_valid():
        try:
            late_join_request_create(
                participation=participation, actor=request.user, **form.cleaned_data
            )
        except (PortalError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Your request to join is with the programme admins.")
            return redirect(project)
    context = {
        "participation": participation,
        "project": project,
        "milestones": list(project.milestones.all()),
    }
    return _render(request, "projects/late_join_form.html", context, form)


def _decide_request(request: HttpRequest, model, request_id, service) -> HttpResponse:
    change_request = get_request_for_user(request.user, model, request_id)
    participation = change_request.participation
    if not request.user.has_perm("projects.decide_participation_request", participation):
        raise PermissionDenied
    form = RequestDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(
                request=change_request,
                actor=request.user,
                approve=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except (PortalError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Decision recorded. The trust can see it on the project.")
            return redirect(participation.project)
    context = {
        "change_request": change_request,
        "is_withdrawal": model is WithdrawalRequest,
        "participation": participation,
        "project": participation.project,
    }
    return _render(request, "projects/request_decide.html", context, form)


@require_http_methods(["GET", "POST"])
@login_required
def withdrawal_decide(request: HttpRequest, request_id) -> HttpResponse:
    return _decide_request(request, WithdrawalRequest, request_id, withdrawal_request_decide)


@require_http_methods(["GET", "POST"])
@login_required
def late_join_decide(request: HttpRequest, request_id) -> HttpResponse:
    return _decide_request(request, LateJoinRequest, request_id, late_join_request_decide)


@require_http_methods(["GET", "POST"])
@login_required
def benefit_edit(
    request: HttpRequest, project_slug: str, trust_slug: str, kind: str
) -> HttpResponse:
    if kind not in BENEFIT_KINDS:
        raise Http404("No such kind of benefit.")
    participation = _participation(request, project_slug, trust_slug, "projects.record_benefit")
    project = participation.project
    existing = project.benefits.filter(trust=participation.trust, kind=kind).first()
    initial = (
        {
            "staff_hours_released": existing.staff_hours_released,
            "money_saved": existing.money_saved,
            "measure": existing.measure,
        }
        if existing
        else None
    )
    form = BenefitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            benefit_record(
                project=project,
                trust=participation.trust,
                kind=kind,
                actor=request.user,
                **form.cleaned_data,
            )
        except (PortalError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Benefit recorded.")
            return redirect(project)
    context = {"participation": participation, "project": project, "kind": BENEFIT_KINDS[kind]}
    return _render(request, "projects/benefit_form.html", context, form)
