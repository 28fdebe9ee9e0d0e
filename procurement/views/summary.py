"""The combined picture of a round: units by trust and year, value, and the standardisation
index, as a chart and as the same figures in a table."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from procurement.summary import demand_summary
from procurement.views.access import is_admin, round_for


@require_GET
@login_required
def summary(request: HttpRequest, round_slug: str) -> HttpResponse:
    round_ = round_for(request, round_slug)
    context = {
        "round": round_,
        "summary": demand_summary(round_),
        "is_admin": is_admin(request, round_),
    }
    return render(request, "procurement/summary.html", context)
