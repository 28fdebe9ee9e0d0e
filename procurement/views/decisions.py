"""The programme admins decide what trusts ask: a variation from the common specification, and
a change to an order after it was confirmed. Each decision carries a reason the trusts read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from collab.errors import PortalError
from collab.forms import add_service_error
from procurement.forms import DecisionForm
from procurement.selectors import get_change_request, get_variation
from procurement.services import change_request_decide, variation_decide
from procurement.views.access import posted, round_for

DECIDE = "procurement.decide"


def _render(request, template: str, context: dict, form) -> HttpResponse:
    return render(request, template, context | {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def variation_decide_view(request: HttpRequest, round_slug: str, request_id) -> HttpResponse:
    round_ = round_for(request, round_slug, DECIDE)
    variation = get_variation(round_, request_id)
    form = DecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            variation_decide(
                variation=variation,
                actor=request.user,
                approve=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except (PortalError, ValidationError) as error:
            add_service_error(form, error)
        else:
            trust = variation.requirement.trust.short_name
            messages.success(
                request,
                f"{trust}'s variation on {variation.reference} is "
                f"{'approved' if form.cleaned_data['decision'] else 'rejected'}. "
                f"{trust}'s lead has been told.",
            )
            return redirect(round_)
    item = (
        variation.version.line_items.select_related("section")
        .filter(reference=variation.reference)
        .first()
    )
    context = {
        "round": round_,
        "variation": variation,
        "item": item,
        "trust": variation.requirement.trust,
    }
    return _render(request, "procurement/variation_decide.html", context, form)


@require_http_methods(["GET", "POST"])
@login_required
def change_decide_view(request: HttpRequest, round_slug: str, request_id) -> HttpResponse:
    round_ = round_for(request, round_slug, DECIDE)
    change = get_change_request(round_, request_id)
    form = DecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            change_request_decide(
                change_request=change,
                actor=request.user,
                approve=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except (PortalError, ValidationError) as error:
            add_service_error(form, error)
        else:
            trust = change.requirement.trust.short_name
            messages.success(
                request,
                f"{trust}'s change request is "
                f"{'approved and applied' if form.cleaned_data['decision'] else 'rejected'}. "
                f"{trust}'s lead has been told.",
            )
            return redirect(round_)
    requirement = change.requirement
    now = {q.year: q.units for q in requirement.quantities.all()}
    asked = {int(year): units for year, units in change.quantities.items()}
    years = sorted(set(round_.years) | set(now) | set(asked))
    context = {
        "round": round_,
        "change": change,
        "trust": requirement.trust,
        "rows": [(year, now.get(year, 0), asked.get(year, 0)) for year in years],
        "options_now": list(requirement.optional_references),
        "options_asked": list(change.optional_references),
    }
    return _render(request, "procurement/change_decide.html", context, form)
