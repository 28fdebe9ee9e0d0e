"""The commitment tracker as CSV and XLSX downloads, with the filters of the page.

Both read the tracker dataclasses of `projects.tracker`, so a download holds what the page
shows. Text typed by people (deliverables, names) is never let through as a spreadsheet formula.
"""

import csv
import datetime
from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from projects.models import ProjectStatus, Rag
from projects.tracker import CollaborationTracker, ProjectTracker

FORMATS = ("csv", "xlsx")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Cell = str | int | Decimal | datetime.date

COLLABORATION_HEADER = [
    "Trust",
    "Project",
    "Project status",
    "Participation status",
    "Red",
    "Amber",
    "Green",
    "Worst RAG",
]

PROJECT_HEADER = ["Trust", "Milestone", "Deliverable", "Due date", "Owner", "Status", "RAG"]

# A spreadsheet reads a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _rag_label(rag: str) -> str:
    return Rag(rag).label if rag else "No commitments"


def collaboration_rows(tracker: CollaborationTracker) -> list[list[Cell]]:
    """One row per trust and project shown: the decision and the commitments by RAG."""
    return [
        [
            cell.trust.name,
            cell.project.title,
            ProjectStatus(cell.project.status).label,
            cell.participation_label,
            cell.counts.red,
            cell.counts.amber,
            cell.counts.green,
            _rag_label(cell.worst_rag),
        ]
        for cell in tracker.cells
    ]


def project_rows(tracker: ProjectTracker) -> list[list[Cell]]:
    """One row per commitment shown."""
    return [
        [
            cell.trust.name,
            cell.milestone.title,
            cell.deliverable,
            cell.due_on,
            cell.owner_name,
            cell.status_label,
            cell.rag_label,
        ]
        for cell in tracker.commitments
    ]


def _defuse(value: str) -> str:
    """Text that a spreadsheet would run as a formula, made plain text (OWASP's advice)."""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def _sheet_title(title: str) -> str:
    """Excel refuses sheet names with these characters, or longer than 31."""
    return "".join(c for c in title if c not in "\\/*?:[]")[:31] or "Tracker"


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, header: Sequence[str], rows: list[list[Cell]]) -> HttpResponse:
    """UTF-8 with a byte order mark, so that Excel reads the names and dashes correctly."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [
                _defuse(value)
                if isinstance(value, str)
                else value.isoformat()
                if isinstance(value, datetime.date)
                else value
                for value in row
            ]
        )
    return _attachment(response, filename)


def xlsx_response(
    filename: str, header: Sequence[str], rows: list[list[Cell]], *, sheet_title: str
) -> HttpResponse:
    """One sheet: a bold header row that stays in view, dates as dates, text as text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(sheet_title)
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(title) for title in header]
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
                widths[column - 1] = max(widths[column - 1], min(len(value), 60))
            elif isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
                widths[column - 1] = max(widths[column - 1], 10)
            elif isinstance(value, Decimal):
                cell.number_format = "#,##0.00"  # money and quantities to two places
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width + 2
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    return _attachment(response, filename)


def _respond(
    export_format: str,
    stem: str,
    header: Sequence[str],
    rows: list[list[Cell]],
    today: datetime.date,
    sheet_title: str,
) -> HttpResponse:
    filename = f"{stem}-tracker-{today.isoformat()}.{export_format}"
    if export_format == "csv":
        return csv_response(filename, header, rows)
    if export_format == "xlsx":
        return xlsx_response(filename, header, rows, sheet_title=sheet_title)
    raise ValueError(f"Unknown export format: {export_format}")


def collaboration_tracker_export(tracker: CollaborationTracker, export_format: str) -> HttpResponse:
    return _respond(
        export_format,
        tracker.collaboration.slug,
        COLLABORATION_HEADER,
        collaboration_rows(tracker),
        tracker.today,
        sheet_title=f"{tracker.collaboration.short_name} tracker",
    )


def project_tracker_export(tracker: ProjectTracker, export_format: str) -> HttpResponse:
    return _respond(
        export_format,
        tracker.project.slug,
        PROJECT_HEADER,
        project_rows(tracker),
        tracker.today,
        sheet_title="Commitments",
    )
