"""Downloads of a procurement round: the specification (CSV and XLSX), the demand summary
(CSV), and an Open Contracting Data Standard release of the planned tender (JSON).

The spreadsheets go through `projects.exports.csv_response` and `xlsx_response`, so text typed
by people (requirements, section titles) is never let through as a spreadsheet formula, and
money is written as numbers, not text. File names carry the round's slug and the version.
"""

import datetime
import hashlib
import json
from decimal import Decimal
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from collab.models import Trust
from procurement.models import ItemKind, ProcurementRound, RoundStatus, SpecificationVersion
from procurement.selectors import sections_with_items
from procurement.summary import DemandSummary, demand_summary, to_pence
from projects.exports import Cell, csv_response, xlsx_response

# --- The specification -----------------------------------------------------------------------

SPECIFICATION_HEADER = [
    "Section",
    "Reference",
    "Requirement",
    "Mandatory or optional",
    "Unit",
    "Quantity per vehicle",
    "Estimated unit cost (£)",
    "Cost per vehicle (£)",
]


def specification_rows(version: SpecificationVersion) -> list[list[Cell]]:
    """One row per line item, in the order of the specification."""
    return [
        [
            section.title,
            item.reference,
            item.requirement,
            ItemKind(item.kind).label,
            item.unit,
            item.quantity_per_vehicle,
            item.estimated_unit_cost,
            to_pence(item.cost_per_vehicle),
        ]
        for section in sections_with_items(version)
        for item in section.line_items.all()
    ]


def _version_stem(version: SpecificationVersion) -> str:
    draft = "-draft" if version.is_draft else ""
    return f"{version.round.slug}-specification-v{version.number}{draft}"


def specification_csv(version: SpecificationVersion) -> HttpResponse:
    return csv_response(
        f"{_version_stem(version)}.csv", SPECIFICATION_HEADER, specification_rows(version)
    )


def specification_xlsx(version: SpecificationVersion) -> HttpResponse:
    return xlsx_response(
        f"{_version_stem(version)}.xlsx",
        SPECIFICATION_HEADER,
        specification_rows(version),
        sheet_title=f"Specification v{version.number}",
    )


# --- The demand summary ----------------------------------------------------------------------

ALL_TRUSTS = "All participating trusts"


def demand_header(summary: DemandSummary) -> list[str]:
    return [
        "Trust",
        "ODS code",
        "Status",
        "Specification version",
        *(f"Units {year}" for year in summary.years),
        "Total units",
        "Vehicle unit cost (£)",
        "Total value (£)",
        "Approved variations",
        "Pending variations",
    ]


def demand_rows(summary: DemandSummary) -> list[list[Cell]]:
    """One row per participating trust, then the totals. A trust with no requirement has an
    empty version; the totals' unit cost is the average over every vehicle ordered."""
    rows: list[list[Cell]] = [
        [
            row.trust.name,
            row.trust.ods_code,
            row.status_label,
            row.version_number if row.version_number is not None else "",
            *row.units_by_year,
            row.total_units,
            row.vehicle_unit_cost,
            row.total_value,
            row.approved_variations,
            row.pending_variations,
        ]
        for row in summary.rows
    ]
    average = summary.average_vehicle_cost
    rows.append(
        [
            ALL_TRUSTS,
            "",
            f"{summary.confirmed_count} of {len(summary.rows)} confirmed",
            summary.version_number if summary.version_number is not None else "",
            *summary.units_by_year,
            summary.total_units,
            average if average is not None else "",
            summary.total_value,
            sum(row.approved_variations for row in summary.rows),
            sum(row.pending_variations for row in summary.rows),
        ]
    )
    return rows


def demand_csv(summary: DemandSummary) -> HttpResponse:
    version = f"-v{summary.version_number}" if summary.version_number is not None else ""
    return csv_response(
        f"{summary.round.slug}-demand{version}.csv", demand_header(summary), demand_rows(summary)
    )


# --- The Open Contracting release ------------------------------------------------------------

OCDS_VERSION = "1.1"
CURRENCY = "GBP"
# Common Procurement Vocabulary: the tender is for ambulances.
CPV_AMBULANCES = {"scheme": "CPV", "id": "34114121", "description": "Ambulances"}
# org-id.guide's list for NHS Organisation Data Service codes: a trust is GB-NHS-<ODS code>.
ORGANISATION_SCHEME = "GB-NHS"


def ocid(round_: ProcurementRound) -> str:
    """The round's open contracting process identifier: the portal's prefix and its slug."""
    return f"{settings.PORTAL_OCDS_PREFIX}-{round_.slug}"


def _money(amount: Decimal) -> dict[str, Any]:
    # A JSON number (OCDS wants one), exact to the penny for any amount a round can reach.
    return {"amount": float(amount), "currency": CURRENCY}


def _datetime(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def _end_of_day(day: datetime.date) -> str:
    return _datetime(timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59))))


def _party_id(trust: Trust) -> str:
    return f"{ORGANISATION_SCHEME}-{trust.ods_code}"


def _party(trust: Trust, roles: list[str]) -> dict[str, Any]:
    return {
        "id": _party_id(trust),
        "name": trust.name,
        "identifier": {
            "scheme": ORGANISATION_SCHEME,
            "id": trust.ods_code,
            "legalName": trust.name,
        },
        "roles": roles,
    }


def _reference(trust: Trust) -> dict[str, str]:
    return {"id": _party_id(trust), "name": trust.name}


def _parties(summary: DemandSummary, lead: Trust) -> list[dict[str, Any]]:
    """Every participating trust is a buyer; the project's lead trust buys and runs the tender
    (procuring entity), and is the release's `buyer`: OCDS has one, and lists the others in
    the parties with the buyer role."""
    parties = [
        _party(row.trust, ["buyer", "procuringEntity"] if row.trust.pk == lead.pk else ["buyer"])
        for row in summary.rows
    ]
    if all(row.trust.pk != lead.pk for row in summary.rows):
        parties.insert(0, _party(lead, ["buyer", "procuringEntity"]))
    return parties


def _last_change(summary: DemandSummary) -> datetime.datetime:
    """When the figures of the release last changed: the release's `date`, so the same data
    always makes the same release."""
    moments = [summary.round.created_at]
    if summary.version is not None and summary.version.published_at:
        moments.append(summary.version.published_at)
    for row in summary.rows:
        if row.requirement is None:
            continue
        moments += [row.requirement.updated_at, row.requirement.confirmed_at]
        for variation in row.requirement.live_variations:
            moments += [variation.requested_at, variation.decided_at]
    return max(moment for moment in moments if moment is not None)


def _document_url(request_uri: str, name: str, round_: ProcurementRound, query: str) -> str:
    """The absolute address of one of the round's downloads, or "" while it has no URL."""
    try:
        path = reverse(f"procurement:{name}", kwargs={"round_slug": round_.slug})
    except NoReverseMatch:
        return ""
    return urljoin(request_uri, path) + query


def _documents(summary: DemandSummary, request_uri: str) -> list[dict[str, Any]]:
    round_, version = summary.round, summary.version
    if version is None:
        return []
    query = f"?version={version.number}"
    documents = [
        {
            "id": f"specification-v{version.number}-{extension}",
            "documentType": "technicalSpecifications",
            "title": f"Common specification, version {version.number} ({label})",
            "description": f"{summary.item_count} line items: reference, requirement, "
            "mandatory or optional, unit, quantity per vehicle and estimated unit cost.",
            "url": _document_url(request_uri, name, round_, query),
            "format": media_type,
            "language": "en",
            **({"datePublished": _datetime(version.published_at)} if version.published_at else {}),
        }
        for name, extension, label, media_type in (
            ("specification_csv", "csv", "CSV", "text/csv"),
            (
                "specification_xlsx",
                "xlsx",
                "Excel",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        )
    ]
    documents.append(
        {
            "id": f"demand-v{version.number}",
            "documentType": "needsAssessment",
            "title": "Combined demand by trust and delivery year (CSV)",
            "description": "Units each trust orders per year, its vehicle unit cost with its "
            "options and approved variations, and its total value.",
            "url": _document_url(request_uri, "demand_csv", round_, ""),
            "format": "text/csv",
            "language": "en",
        }
    )
    for document in documents:
        if not document["url"]:
            del document["url"]
    return documents


def _delivery_milestones(summary: DemandSummary) -> list[dict[str, Any]]:
    return [
        {
            "id": f"delivery-{year}",
            "title": f"Deliveries in {year}",
            "type": "delivery",
            "description": f"{units} vehicles: "
            + ", ".join(
                f"{row.trust.short_name} {row.units_by_year[index]}"
                for row in summary.rows
                if row.units_by_year[index]
            ),
            "status": "scheduled",
        }
        for index, (year, units) in enumerate(
            zip(summary.years, summary.units_by_year, strict=True)
        )
        if units
    ]


def ocds_release_package(
    round_: ProcurementRound, request_uri: str, *, summary: DemandSummary | None = None
) -> dict[str, Any]:
    """The planned tender as an OCDS 1.1 release package holding one planning release.

    What a procurement team can take further:
    - `planning.budget`: the estimated value of the combined demand, priced against the
      current specification with each trust's options and approved variations;
    - `tender.items`: one item, the vehicle, classified CPV 34114121 (Ambulances), with the
      total units ordered and the average vehicle cost. The specification's line items are
      not items: they describe that one vehicle, and listing them beside it would count the
      money twice (OCDS adds up quantity times unit value over the items). They travel as
      `tender.documents` of type technicalSpecifications instead: the CSV and XLSX of the
      exact version priced, with one row per line item, ready for a tender pack;
    - `tender.milestones`: the units to be delivered in each year, trust by trust;
    - `parties`: every participating trust as a buyer, identified by its NHS ODS code
      (GB-NHS), and the project's lead trust as the procuring entity;
    - `planning.milestones`: the closing date for trusts' final orders. It is not the
      `tenderPeriod`: that is when suppliers bid, which is not known at planning.

    The release `date` is when the figures last changed, and its `id` ends in a digest of its
    content, so downloading unchanged data gives the same release, and any change a new one.
    Pass `summary` when the caller has already computed it.
    """
    summary = summary or demand_summary(round_)
    project = round_.project
    lead = project.lead_trust
    version = summary.version
    units = summary.total_units
    vehicle_cost = summary.average_vehicle_cost or summary.standard_vehicle_cost
    version_words = f"specification version {version.number}" if version else "no specification"
    release: dict[str, Any] = {
        "ocid": ocid(round_),
        "date": _datetime(_last_change(summary)),
        "tag": ["planning"],
        "initiationType": "tender",
        "language": "en",
        "parties": _parties(summary, lead),
        "buyer": _reference(lead),
        "planning": {
            "rationale": round_.description,
            "budget": {
                "id": f"{round_.slug}-estimate",
                "description": f"Estimated value of {units} vehicles ordered by "
                f"{sum(1 for row in summary.rows if row.total_units)} trusts over "
                f"{summary.years[0]} to {summary.years[-1]}, priced against {version_words}.",
                "amount": _money(summary.total_value),
                "project": project.title,
                "projectID": project.slug,
            },
            "milestones": [
                {
                    "id": "final-orders",
                    "title": "Trusts confirm their final orders",
                    "type": "preProcurement",
                    "dueDate": _end_of_day(round_.closing_date),
                    "status": "met" if round_.status == RoundStatus.CLOSED else "scheduled",
                }
            ],
        },
        "tender": {
            "id": round_.slug,
            "title": round_.title,
            "description": round_.description,
            "status": "planned",
            "value": _money(summary.total_value),
            "procuringEntity": _reference(lead),
            "mainProcurementCategory": "goods",
            "items": [
                {
                    "id": "vehicle",
                    "description": f"{round_.title}: a complete vehicle built to the common "
                    f"{version_words}, with each trust's options and approved variations.",
                    "classification": dict(CPV_AMBULANCES),
                    "quantity": units,
                    "unit": {"name": "vehicle", "value": _money(vehicle_cost)},
                }
            ],
            "milestones": _delivery_milestones(summary),
            "documents": _documents(summary, request_uri),
        },
    }
    digest = hashlib.sha256(json.dumps(release, sort_keys=True).encode()).hexdigest()[:12]
    number = version.number if version else 0
    return {
        "uri": request_uri,
        "version": OCDS_VERSION,
        "publishedDate": _datetime(timezone.now()),
        "publisher": {"name": project.collaboration.name},
        "releases": [
            {"ocid": release["ocid"], "id": f"{release['ocid']}-planning-v{number}-{digest}"}
            | release
        ],
    }


def ocds_json_response(round_: ProcurementRound, request_uri: str) -> HttpResponse:
    """The release package as a JSON download named after the round and its version."""
    summary = demand_summary(round_)
    package = ocds_release_package(round_, request_uri, summary=summary)
    number = summary.version_number or 0
    response = HttpResponse(
        json.dumps(package, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{round_.slug}-ocds-release-v{number}.json"'
    )
    return response
