"""A trust's order in a round: its page, entering the demand, asking for variations,
confirming the final order, and asking for a change after that."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from collab.dates import long_day
from collab.errors import PortalError
from procurement.forms import ChangeRequestForm, ConfirmForm, RequirementForm, VariationForm
from procurement.models import (
    ItemKind,
    LineItem,
    ProcurementRound,
    RoundStatus,
    SpecificationVersion,
)
from procurement.selectors import current_version, get_variation
from procurement.services import (
    change_request_create,
    requirement_confirm,
    requirement_save,
    variation_request_create,
    variation_withdraw,
)
from procurement.summary import demand_summary
from procurement.views.access import (
    TrustPlace,
    add_refusal,
    is_admin,
    posted,
    round_for,
    trust_place,
)


def _items(version: SpecificationVersion | None) -> list[LineItem]:
    if version is None:
        return []
    return list(
        version.line_items.select_related("section").order_by(
            "section__position", "position", "reference"
        )
    )


def _optional_items(items: list[LineItem]) -> list[LineItem]:
    return [item for item in items if item.kind == ItemKind.OPTIONAL]


def _first_year_field(round_: ProcurementRound) -> str:
    return RequirementForm.year_field(round_.years[0])


def _render(request, template: str, context: dict, form) -> HttpResponse:
    return render(request, template, context | {"form": form}, status=400 if form.errors else 200)


def _place_url(place: TrustPlace) -> str:
    return reverse(
        "procurement:requirement",
        kwargs={"round_slug": place.round.slug, "trust_slug": place.trust.slug},
    )


@require_GET
@login_required
def requirement_page(request: HttpRequest, round_slug: str, trust_slug: str) -> HttpResponse:
    round_ = round_for(request, round_slug)
    place = trust_place(request, round_, trust_slug)
    requirement = place.requirement
    current = current_version(round_)
    items = _items(current)
    by_reference = {item.reference: item for item in items}
    row = None
    if place.has_ordered:
        row = next((r for r in demand_summary(round_).rows if r.trust.pk == place.trust.pk), None)
    user = request.user
    context = {
        "round": round_,
        "place": place,
        "trust": place.trust,
        "requirement": requirement if place.has_ordered else None,
        "current": current,
        "is_older": bool(place.has_ordered and current and requirement.version_id != current.pk),
        "quantities": list(requirement.quantities.all()) if place.has_ordered else [],
        "chosen": [
            (reference, by_reference.get(reference))
            for reference in (requirement.optional_references if place.has_ordered else [])
        ],
        "variations": [
            (variation, by_reference.get(variation.reference))
            for variation in (requirement.variations.all() if place.has_ordered else [])
        ],
        "change_requests": list(requirement.change_requests.all()) if place.has_ordered else [],
        "row": row,
        "is_lead": user.has_perm("procurement.edit_requirement", requirement),
        "is_admin": is_admin(request, round_),
        "round_open": round_.status == RoundStatus.OPEN,
        "confirm_form": ConfirmForm(),
    }
    return render(request, "procurement/requirement.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def requirement_edit(request: HttpRequest, round_slug: str, trust_slug: str) -> HttpResponse:
    round_ = round_for(request, round_slug)
    place = trust_place(request, round_, trust_slug, "procurement.edit_requirement")
    current = current_version(round_)
    optional = _optional_items(_items(current))
    initial = RequirementForm.initial_for(
        place.requirement if place.has_ordered else None, round_.years
    )
    form = RequirementForm(
        posted(request), initial=initial, years=round_.years, optional_items=optional
    )
    if request.method == "POST" and form.is_valid():
        try:
            requirement_save(
                round=round_,
                trust=place.trust,
                actor=request.user,
                quantities=form.quantities(),
                optional_references=form.optional_references(),
            )
        except (PortalError, ValidationError) as error:
            add_refusal(form, error, first_year_field=_first_year_field(round_))
        else:
            messages.success(
                request,
                f"{place.trust.short_name}'s demand is saved. Confirm it as the final order "
                f"by {long_day(round_.closing_date)}.",
            )
            return redirect(_place_url(place))
    context = {"round": round_, "place": place, "trust": place.trust, "current": current}
    return _render(request, "procurement/requirement_form.html", context, form)


@require_http_methods(["GET", "POST"])
@login_required
def requirement_confirm_view(
    request: HttpRequest, round_slug: str, trust_slug: str
) -> HttpResponse:
    round_ = round_for(request, round_slug)
    place = trust_place(request, round_, trust_slug, "procurement.confirm")
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if not place.has_ordered:
            form.add_error(None, "Enter your trust's demand before confirming the order.")
        else:
            try:
                requirement_confirm(
                    requirement=place.requirement,
                    actor=request.user,
                    confirmed=form.cleaned_data["confirmed"],
                )
            except (PortalError, ValidationError) as error:
                add_refusal(form, error)
            else:
                messages.success(
                    request,
                    f"{place.trust.short_name}'s order is confirmed. A change now needs the "
                    "programme admins' approval.",
                )
                return redirect(_place_url(place))
    context = {
        "round": round_,
        "place": place,
        "trust": place.trust,
        "quantities": list(place.requirement.quantities.all()) if place.has_ordered else [],
        "current": current_version(round_),
    }
    return _render(request, "procurement/requirement_confirm.html", context, form)


@require_http_methods(["GET", "POST"])
@login_required
def variation_new(request: HttpRequest, round_slug: str, trust_slug: str) -> HttpResponse:
    round_ = round_for(request, round_slug)
    place = trust_place(request, round_, trust_slug, "procurement.ask_variation")
    current = current_version(round_)
    form = VariationForm(posted(request), items=_items(current))
    if request.method == "POST" and form.is_valid():
        if not place.has_ordered:
            form.add_error(None, "Enter your trust's demand before asking for a variation.")
        else:
            try:
                variation_request_create(
                    requirement=place.requirement, actor=request.user, **form.cleaned_data
                )
            except (PortalError, ValidationError) as error:
                add_refusal(form, error)
            else:
                messages.success(
                    request,
                    f"Your variation on {form.cleaned_data['reference']} is with the programme "
                    "admins.",
                )
                return redirect(_place_url(place))
    context = {"round": round_, "place": place, "trust": place.trust, "current": current}
    return _render(request, "procurement/variation_form.html", context, form)


@require_POST
@login_required
def variation_withdraw_view(request: HttpRequest, round_slug: str, request_id) -> HttpResponse:
    round_ = round_for(request, round_slug)
    variation = get_variation(round_, request_id)
    if not request.user.has_perm("procurement.ask_variation", variation.requirement):
        raise PermissionDenied
    try:
        variation_withdraw(variation=variation, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Your variation on {variation.reference} is withdrawn.")
    return redirect(
        "procurement:requirement",
        round_slug=round_.slug,
        trust_slug=variation.requirement.trust.slug,
    )


@require_http_methods(["GET", "POST"])
@login_required
def change_new(request: HttpRequest, round_slug: str, trust_slug: str) -> HttpResponse:
    round_ = round_for(request, round_slug)
    place = trust_place(request, round_, trust_slug, "procurement.request_change")
    current = current_version(round_)
    optional = _optional_items(_items(current))
    initial = RequirementForm.initial_for(
        place.requirement if place.has_ordered else None, round_.years
    )
    form = ChangeRequestForm(
        posted(request), initial=initial, years=round_.years, optional_items=optional
    )
    if request.method == "POST" and form.is_valid():
        if not place.has_ordered:
            form.add_error(None, "Enter your trust's demand first; there is no order to change.")
        else:
            try:
                change_request_create(
                    requirement=place.requirement,
                    actor=request.user,
                    quantities=form.quantities(),
                    optional_references=form.optional_references(),
                    reason=form.cleaned_data["reason"],
                )
            except (PortalError, ValidationError) as error:
                add_refusal(form, error, first_year_field=_first_year_field(round_))
            else:
                messages.success(
                    request,
                    "Your request to change the confirmed order is with the programme admins. "
                    "The order stands as confirmed until they decide.",
                )
                return redirect(_place_url(place))
    context = {
        "round": round_,
        "place": place,
        "trust": place.trust,
        "current": current,
        "quantities": list(place.requirement.quantities.all()) if place.has_ordered else [],
    }
    return _render(request, "procurement/change_form.html", context, form)
