"""The downloads, read back: the specification (CSV, XLSX), the demand (CSV), and the OCDS
release of the planned tender (JSON). Figures are those of tests/procurement/demand_builders.py.
"""

import csv
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings

from procurement.exports import (
    SPECIFICATION_HEADER,
    demand_csv,
    ocds_json_response,
    ocds_release_package,
    specification_csv,
    specification_xlsx,
)
from procurement.models import DecisionStatus, RoundStatus
from procurement.summary import demand_summary
from tests.procurement.conftest import FIRST_SPECIFICATION, write_version
from tests.procurement.demand_builders import known_demand

LAS_NAME = "London Ambulance Service NHS Trust"
SECAMB_NAME = "South East Coast Ambulance Service NHS Foundation Trust"
REQUEST_URI = "https://portal.example.org/procurement/dca-2027/ocds.json"


@pytest.fixture
def demand(open_round, las, secamb, lead_of_las, lead_of_secamb, admin_of_southern):
    return known_demand(open_round, las, secamb, lead_of_las, lead_of_secamb, admin_of_southern)


@pytest.fixture
def version(open_round):
    version = open_round.versions.get(number=1)
    version.round = open_round
    return version


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _sheet(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


# --- The specification -----------------------------------------------------------------------

SPECIFICATION_ROWS = [
    ["Base vehicle and chassis", "BV-01", "Panel van, 4.25 t gross", "Mandatory", "each"]
    + ["1.00", "48000.00", "48000.00"],
    ["Base vehicle and chassis", "BV-02", "Automatic gearbox", "Mandatory", "each"]
    + ["1.00", "2500.00", "2500.00"],
    ["Electrical and lighting", "EL-01", "LED scene lighting, each side", "Mandatory", "each"]
    + ["4.00", "350.00", "1400.00"],
    ["Electrical and lighting", "EL-02", "Solar trickle charger", "Optional", "each"]
    + ["1.00", "900.00", "900.00"],
    ["Stretcher and loading", "ST-01", "Powered stretcher and loading system", "Mandatory", "set"]
    + ["1.00", "21000.00", "21000.00"],
]


def test_the_specification_csv_has_a_row_per_line_item_in_order(version):
    response = specification_csv(version)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="dca-2027-specification-v1.csv"'
    )
    assert _csv(response) == [SPECIFICATION_HEADER, *SPECIFICATION_ROWS]


def test_the_specification_xlsx_has_the_same_rows_with_money_as_numbers(version):
    response = specification_xlsx(version)

    assert response["Content-Disposition"] == (
        'attachment; filename="dca-2027-specification-v1.xlsx"'
    )
    sheet = _sheet(response)
    assert sheet.title == "Specification v1"
    assert sheet.freeze_panes == "A2"
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == SPECIFICATION_HEADER
    assert len(rows) == 1 + len(FIRST_SPECIFICATION)
    assert rows[3] == [
        "Electrical and lighting",
        "EL-01",
        "LED scene lighting, each side",
        "Mandatory",
        "each",
        4,
        350,
        1400,
    ]
    assert sheet["G2"].number_format == "#,##0.00"


def test_a_draft_version_says_so_in_its_file_name(open_round, admin_of_southern):
    draft = write_version(open_round, 2, admin_of_southern, published=False)

    response = specification_csv(draft)

    assert response["Content-Disposition"] == (
        'attachment; filename="dca-2027-specification-v2-draft.csv"'
    )


def test_text_that_a_spreadsheet_would_run_stays_text(open_round, admin_of_southern):
    formula = '=HYPERLINK("http://evil.example","Click")'
    items = [("BV-01", "+Section", formula, "mandatory", "-each", "1", "48000.00")]
    version = write_version(open_round, 2, admin_of_southern, items=items)

    row = _csv(specification_csv(version))[1]
    assert row[:5] == ["'+Section", "BV-01", "'" + formula, "Mandatory", "'-each"]
    cell = _sheet(specification_xlsx(version))["C2"]
    assert cell.value == formula
    assert cell.data_type == "s"


# --- The demand ------------------------------------------------------------------------------

DEMAND_HEADER = [
    "Trust",
    "ODS code",
    "Status",
    "Specification version",
    "Units 2027",
    "Units 2028",
    "Units 2029",
    "Total units",
    "Vehicle unit cost (£)",
    "Total value (£)",
    "Approved variations",
    "Pending variations",
]


def test_the_demand_csv_has_a_row_per_trust_and_the_totals(open_round, demand):
    response = demand_csv(demand_summary(open_round))

    assert response["Content-Disposition"] == 'attachment; filename="dca-2027-demand-v1.csv"'
    assert _csv(response) == [
        DEMAND_HEADER,
        [LAS_NAME, "RRU", "Not confirmed", "1", "4", "5", "6", "15"]
        + ["75000.00", "1125000.00", "1", "0"],
        [SECAMB_NAME, "RYD", "Not confirmed", "1", "2", "2", "2", "6"]
        + ["72900.00", "437400.00", "0", "1"],
        ["All participating trusts", "", "0 of 2 confirmed", "1", "6", "7", "8", "21"]
        + ["74400.00", "1562400.00", "1", "1"],
    ]


def test_the_demand_csv_of_a_trust_that_has_not_ordered(open_round, secamb):
    rows = _csv(demand_csv(demand_summary(open_round)))

    assert rows[2] == [SECAMB_NAME, "RYD", "No demand entered", "", "0", "0", "0", "0"] + [
        "72900.00",
        "0.00",
        "0",
        "0",
    ]
    assert rows[-1][8] == ""  # no average cost when nothing is ordered


# --- The OCDS release ------------------------------------------------------------------------


@pytest.fixture
def package(open_round, demand):
    # Through JSON and back, as a procurement team's tools would read it.
    return json.loads(json.dumps(ocds_release_package(open_round, REQUEST_URI)))


def test_the_package_and_its_release_carry_the_required_ocds_fields(package):
    assert package["uri"] == REQUEST_URI
    assert package["version"] == "1.1"
    assert package["publishedDate"]
    assert package["publisher"] == {"name": "Southern Ambulance Services Collaboration"}
    [release] = package["releases"]
    assert release["ocid"] == f"{settings.PORTAL_OCDS_PREFIX}-dca-2027"
    assert release["id"].startswith(f"{release['ocid']}-planning-v1-")
    assert release["date"]
    assert release["tag"] == ["planning"]
    assert release["initiationType"] == "tender"
    assert release["language"] == "en"


def test_the_amounts_match_the_summary(open_round, package):
    summary = demand_summary(open_round)
    [release] = package["releases"]

    def amount(value):
        assert value["currency"] == "GBP"
        return Decimal(str(value["amount"]))

    assert amount(release["planning"]["budget"]["amount"]) == summary.total_value
    assert amount(release["tender"]["value"]) == Decimal("1562400.00")
    [vehicle] = release["tender"]["items"]
    assert vehicle["classification"] == {
        "scheme": "CPV",
        "id": "34114121",
        "description": "Ambulances",
    }
    assert vehicle["quantity"] == 21
    assert vehicle["unit"]["name"] == "vehicle"
    assert amount(vehicle["unit"]["value"]) == Decimal("74400.00")


def test_the_tender_is_planned_with_its_deliveries_and_specification(open_round, package):
    tender = package["releases"][0]["tender"]

    assert tender["id"] == "dca-2027"
    assert tender["title"] == open_round.title
    assert tender["status"] == "planned"
    assert tender["mainProcurementCategory"] == "goods"
    assert [(m["id"], m["type"], m["description"]) for m in tender["milestones"]] == [
        ("delivery-2027", "delivery", "6 vehicles: LAS 4, SECAmb 2"),
        ("delivery-2028", "delivery", "7 vehicles: LAS 5, SECAmb 2"),
        ("delivery-2029", "delivery", "8 vehicles: LAS 6, SECAmb 2"),
    ]
    documents = {d["id"]: d for d in tender["documents"]}
    assert documents["specification-v1-csv"]["documentType"] == "technicalSpecifications"
    assert documents["specification-v1-xlsx"]["documentType"] == "technicalSpecifications"
    assert documents["demand-v1"]["documentType"] == "needsAssessment"
    for document in documents.values():
        assert "url" not in document or document["url"].startswith("https://portal.example.org/")


def test_the_closing_date_is_a_planning_milestone(open_round, package):
    planning = package["releases"][0]["planning"]

    assert planning["rationale"] == open_round.description
    [closing] = planning["milestones"]
    assert closing["type"] == "preProcurement"
    assert closing["dueDate"].startswith(open_round.closing_date.isoformat() + "T23:59:59")
    assert closing["status"] == "scheduled"


def test_every_trust_is_a_buyer_and_the_lead_trust_the_procuring_entity(package):
    release = package["releases"][0]
    parties = {party["id"]: party for party in release["parties"]}

    assert set(parties) == {"GB-NHS-RRU", "GB-NHS-RYD"}
    assert parties["GB-NHS-RRU"]["roles"] == ["buyer"]
    assert parties["GB-NHS-RRU"]["identifier"] == {
        "scheme": "GB-NHS",
        "id": "RRU",
        "legalName": LAS_NAME,
    }
    # SECAmb leads the project.
    assert parties["GB-NHS-RYD"]["roles"] == ["buyer", "procuringEntity"]
    assert release["buyer"] == {"id": "GB-NHS-RYD", "name": SECAMB_NAME}
    assert release["tender"]["procuringEntity"] == release["buyer"]


def test_the_same_data_makes_the_same_release_and_a_change_a_new_one(open_round, demand):
    first = ocds_release_package(open_round, REQUEST_URI)["releases"][0]
    again = ocds_release_package(open_round, REQUEST_URI)["releases"][0]
    assert again == first

    demand.pending.status = DecisionStatus.APPROVED
    demand.pending.save()
    changed = ocds_release_package(open_round, REQUEST_URI)["releases"][0]

    assert changed["id"] != first["id"]
    assert changed["date"] >= first["date"]
    assert changed["tender"]["value"]["amount"] == 1562400 + 6 * 300


def test_a_round_without_demand_still_makes_a_valid_release(open_round):
    open_round.status = RoundStatus.CLOSED
    release = ocds_release_package(open_round, REQUEST_URI)["releases"][0]

    assert release["tender"]["items"][0]["quantity"] == 0
    assert release["tender"]["value"]["amount"] == 0
    assert release["tender"]["milestones"] == []
    assert release["planning"]["milestones"][0]["status"] == "met"


def test_the_json_download_is_named_after_the_round_and_version(open_round, demand):
    response = ocds_json_response(open_round, REQUEST_URI)

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="dca-2027-ocds-release-v1.json"'
    )
    assert json.loads(response.content)["releases"][0]["tag"] == ["planning"]
