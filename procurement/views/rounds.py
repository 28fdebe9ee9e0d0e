"""Procurement rounds: the list, a round's page, and the programme admins starting, changing
and closing a round."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from collab.errors import PortalError
from collab.forms import add_service_error
from procurement.forms import RoundForm
from procurement.models import ProcurementRound
from procurement.selectors import (
    change_requests_waiting,
    current_version,
    draft_version,
    participating_trusts,
    rounds_visible_to,
    variations_waiting,
)
from procurement.services import round_close, round_create, round_update
from procurement.summary import demand_summary
from procurement.views.access import is_admin, posted, round_for
from projects.models import Category
from projects.selectors import get_project_for_user


@require_GET
@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = rounds_visible_to(request.user).select_related("project__collaboration")
    return render(request, "procurement/round_list.html", {"rounds": list(rounds)})


@require_http_methods(["GET", "POST"])
@login_required
def round_new(request: HttpRequest, project_slug: str) -> HttpResponse:
    project = get_project_for_user(request.user, project_slug)
    if project.category != Category.VEHICLES_AND_PROCUREMENT:
        raise Http404("Only a vehicles and procurement project runs procurement rounds.")
    if not request.user.has_perm("procurement.create_round", project):
        raise PermissionDenied
    form = RoundForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            round_ = round_create(project=project, actor=request.user, **form.cleaned_data)
        except (PortalError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                "Round started. Add the line items to version 1 of the specification, then "
                "publish it so the trusts can enter their demand.",
            )
            return redirect("procurement:specification_edit", round_slug=round_.slug)
    return render(
        request,
        "procurement/round_form.html",
        {"form": form, "project": project, "round": None},
        status=400 if form.errors else 200,
    )


@require_GET
@login_required
def round_page(request: HttpRequest, round_slug: str) -> HttpResponse:
    round_ = round_for(request, round_slug)
    admin = is_admin(request, round_)
    trusts = participating_trusts(round_)
    context = {
        "round": round_,
        "is_admin": admin,
        "current": current_version(round_),
        "draft": draft_version(round_) if admin else None,
        "summary": demand_summary(round_),
        "led_trusts": [t for t in trusts if request.user.leads_trust(t)],
        "variations_waiting": list(variations_waiting(round_)) if admin else [],
        "changes_waiting": list(change_requests_waiting(round_)) if admin else [],
    }
    return render(request, "procurement/round.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def round_edit(request: HttpRequest, round_slug: str) -> HttpResponse:
    round_ = round_for(request, round_slug, "procurement.manage_round")
    # The form works on a copy, so a refused change leaves the page's own round untouched.
    form = RoundForm(
        posted(request), instance=ProcurementRound.objects.get(pk=round_.pk), editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            round_update(round=round_, actor=request.user, **form.cleaned_data)
        except (PortalError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The round is saved.")
            return redirect(round_)
    return render(
        request,
        "procurement/round_form.html",
        {"form": form, "project": round_.project, "round": round_},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def round_close_view(request: HttpRequest, round_slug: str) -> HttpResponse:
    round_ = round_for(request, round_slug, "procurement.manage_round")
    try:
        round_close(round=round_, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "The round is closed. Orders stand as they are; a change is now a request you decide.",
        )
    return redirect(reverse("procurement:round", kwargs={"round_slug": round_.slug}))
