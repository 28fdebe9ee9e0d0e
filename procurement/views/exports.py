"""Downloads for a procurement team to take further: the specification (CSV, XLSX), the
demand summary (CSV), and the planned tender as an Open Contracting (OCDS) release package.

Each reaches the round through the access helper, so a download shows no more than the pages:
participating trusts and the collaboration's admins, and a draft version to its admins only."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from procurement import exports
from procurement.models import ProcurementRound, SpecificationVersion
from procurement.summary import demand_summary
from procurement.views.access import round_for, version_for


def _version(request: HttpRequest, round_: ProcurementRound) -> SpecificationVersion:
    version = version_for(request, round_, request.GET.get("version"))
    if version is None:
        raise Http404("No version of the specification has been published yet.")
    version.round = round_
    return version


@require_GET
@login_required
def specification_csv(request: HttpRequest, round_slug: str) -> HttpResponse:
    round_ = round_for(request, round_slug)
    return exports.specification_csv(_version(request, round_))


@require_GET
@login_required
def specification_xlsx(request: HttpRequest, round_slug: str) -> HttpResponse:
    round_ = round_for(request, round_slug)
    return exports.specification_xlsx(_version(request, round_))


@require_GET
@login_required
def demand_csv(request: HttpRequest, round_slug: str) -> HttpResponse:
    round_ = round_for(request, round_slug)
    return exports.demand_csv(demand_summary(round_))


@require_GET
@login_required
def ocds_json(request: HttpRequest, round_slug: str) -> HttpResponse:
    round_ = round_for(request, round_slug)
    return exports.ocds_json_response(round_, request_uri=request.build_absolute_uri())
