"""The commitment tracker: every trust's commitments on one screen, for programme admins.

The known data (`southern_tracker`), with today as day 0:

    AI triage evaluation (active, AI and digital), LAS and SECAmb committed
        LAS    Data sharing agreement signed   due day -3, not started   red
        LAS    Evaluation report               due day 111, in progress  green
        SECAmb Data sharing agreement signed   due day 51, blocked       amber
        SECAmb Evaluation report               due day 10, not started   amber
    Common vehicle specification (active, vehicles and procurement), LAS committed,
    SECAmb opted out
        LAS    Requirements agreed             due day -10, done         green (delivered)
        LAS    Order placed                    due day 5, withdrawn      no RAG
    Driver training recognition (open, training): both undecided, no commitments
    Paramedic rota pilot (draft): not on the tracker
    A Northern project (open): not on the Southern tracker
"""

import csv
import datetime
import io
from decimal import Decimal
from html.parser import HTMLParser

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from collab.models import Role
from collab.page_cache import new_generations
from projects.models import (
    Category,
    Commitment,
    CommitmentStatus,
    FundingModel,
    JointProject,
    Milestone,
    Participation,
    ParticipationStatus,
    ProjectStatus,
    Rag,
)
from projects.services import (
    milestone_save,
    participation_decide,
    project_create,
    project_open,
    project_start,
)
from projects.tracker import (
    PROJECTS_PER_PAGE,
    RagCounts,
    TrackerFilters,
    collaboration_tracker,
    project_tracker,
)
from tests.factories import MembershipFactory, RoleFactory, TrustFactory, UserFactory


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


AI = "AI triage evaluation"
VEHICLES = "Common vehicle specification"
DRIVERS = "Driver training recognition"
DSA = "Data sharing agreement signed"
REPORT = "Evaluation report"


# --- Building the known data -------------------------------------------------------------------


def _draft(collaboration, admin, lead_trust, title, category, milestones):
    project = project_create(
        collaboration=collaboration,
        actor=admin,
        lead_trust=lead_trust,
        title=title,
        summary=f"{title}, together.",
        category=category,
        terms="Each trust gives staff time.",
        funding_model=FundingModel.EQUAL_SPLIT,
        total_budget=Decimal("10000.00"),
        staff_days_per_trust=5,
        decision_deadline=days(14),
        planned_start=days(21),
        planned_end=days(386),
    )
    for milestone_title, due in milestones:
        milestone_save(
            project=project,
            actor=admin,
            title=milestone_title,
            deliverable=f"{milestone_title}, by each trust.",
            due_on=days(due),
        )
    return project


def _decide(project, trust, lead, *, opt_in):
    participation_decide(
        participation=project.participations.get(trust=trust),
        actor=lead,
        opt_in=opt_in,
        reason="Decided at the board.",
        contact=lead,
        confirmed=opt_in,
    )


def _set(project, trust, milestone_title, **changes):
    Commitment.objects.filter(
        participation__project=project,
        participation__trust=trust,
        milestone__title=milestone_title,
    ).update(**changes)


@pytest.fixture
def southern_tracker(
    active_project_both,
    southern,
    northern,
    las,
    secamb,
    yas,
    lead_of_las,
    lead_of_secamb,
    admin_of_southern,
    admin_of_northern,
):
    ai = active_project_both
    _set(ai, las, DSA, due_on=days(-3))
    _set(ai, las, REPORT, status=CommitmentStatus.IN_PROGRESS)
    _set(ai, secamb, DSA, status=CommitmentStatus.BLOCKED)
    _set(ai, secamb, REPORT, due_on=days(10))

    vehicles = _draft(
        southern,
        admin_of_southern,
        secamb,
        VEHICLES,
        Category.VEHICLES_AND_PROCUREMENT,
        [("Requirements agreed", 60), ("Order placed", 90)],
    )
    project_open(project=vehicles, actor=admin_of_southern)
    _decide(vehicles, las, lead_of_las, opt_in=True)
    _decide(vehicles, secamb, lead_of_secamb, opt_in=False)
    project_start(project=vehicles, actor=admin_of_southern)
    _set(vehicles, las, "Requirements agreed", due_on=days(-10), status=CommitmentStatus.DONE)
    _set(vehicles, las, "Order placed", due_on=days(5), status=CommitmentStatus.WITHDRAWN)

    drivers = _draft(
        southern, admin_of_southern, las, DRIVERS, Category.TRAINING, [("Syllabus agreed", 40)]
    )
    project_open(project=drivers, actor=admin_of_southern)

    _draft(
        southern,
        admin_of_southern,
        las,
        "Paramedic rota pilot",
        Category.WORKFORCE_AND_WELLBEING,
        [("Rota drafted", 40)],
    )
    northern_project = _draft(
        northern, admin_of_northern, yas, "Northern fleet", Category.TRAINING, [("Start", 40)]
    )
    project_open(project=northern_project, actor=admin_of_northern)
    return {"ai": ai, "vehicles": vehicles, "drivers": drivers, "northern": northern_project}


def _collab_grid(tracker):
    """{(trust short name, project title): (participation status, red, amber, green, worst)}."""
    return {
        (row.trust.short_name, tracker.projects[i].title): (
            None
            if cell is None
            else (
                cell.participation_status,
                cell.counts.red,
                cell.counts.amber,
                cell.counts.green,
                cell.worst_rag,
            )
        )
        for row in tracker.rows
        for i, cell in enumerate(row.cells)
    }


def _project_grid(tracker):
    """{(trust short name, milestone title): (status, rag, owner) or None}."""
    return {
        (row.trust.short_name, tracker.milestones[i].title): (
            None if cell is None else (cell.status, cell.rag, cell.owner_name)
        )
        for row in tracker.rows
        for i, cell in enumerate(row.cells)
    }


# --- The collaboration grid --------------------------------------------------------------------


def test_the_collaboration_grid_is_member_trusts_by_non_draft_projects(southern_tracker, southern):
    tracker = collaboration_tracker(southern, TrackerFilters())

    assert [row.trust.short_name for row in tracker.rows] == ["LAS", "SECAmb"]
    assert [p.title for p in tracker.projects] == [AI, VEHICLES, DRIVERS]
    assert _collab_grid(tracker) == {
        ("LAS", AI): (ParticipationStatus.COMMITTED, 1, 0, 1, "red"),
        ("LAS", VEHICLES): (ParticipationStatus.COMMITTED, 0, 0, 1, "green"),
        ("LAS", DRIVERS): (ParticipationStatus.UNDECIDED, 0, 0, 0, ""),
        ("SECAmb", AI): (ParticipationStatus.COMMITTED, 0, 2, 0, "amber"),
        ("SECAmb", VEHICLES): (ParticipationStatus.OPTED_OUT, 0, 0, 0, ""),
        ("SECAmb", DRIVERS): (ParticipationStatus.UNDECIDED, 0, 0, 0, ""),
    }
    assert tracker.totals == RagCounts(red=1, amber=2, green=2, withdrawn=1)


def test_a_trust_that_joined_after_a_project_opened_shows_as_not_asked(southern_tracker, southern):
    newcomer = TrustFactory(name="Zeta Ambulance Service", short_name="ZAS", slug="zas")
    MembershipFactory(collaboration=southern, trust=newcomer, joined_on=days(-1))

    tracker = collaboration_tracker(southern, TrackerFilters())

    row = tracker.rows[-1]
    assert row.trust == newcomer
    assert [cell.participation_label for cell in row.cells] == ["Not asked"] * 3


def test_a_trust_that_left_the_collaboration_is_not_a_row(southern_tracker, southern, secamb):
    southern.memberships.filter(trust=secamb).update(left_on=days(-1))

    tracker = collaboration_tracker(southern, TrackerFilters())

    assert [row.trust.short_name for row in tracker.rows] == ["LAS"]


@pytest.mark.parametrize(
    ("filters", "trusts", "projects"),
    [
        (TrackerFilters(rag="red"), ["LAS"], [AI]),
        (TrackerFilters(rag="amber"), ["SECAmb"], [AI]),
        (TrackerFilters(rag="green"), ["LAS"], [AI, VEHICLES]),
        (TrackerFilters(trust="secamb"), ["SECAmb"], [AI, VEHICLES, DRIVERS]),
        (TrackerFilters(project_status="open"), ["LAS", "SECAmb"], [DRIVERS]),
        (TrackerFilters(project_status="active"), ["LAS", "SECAmb"], [AI, VEHICLES]),
        (TrackerFilters(project_status="completed"), ["LAS", "SECAmb"], []),
        (TrackerFilters(category="vehicles_procurement"), ["LAS", "SECAmb"], [VEHICLES]),
        (TrackerFilters(category="training"), ["LAS", "SECAmb"], [DRIVERS]),
        (TrackerFilters(rag="green", project_status="active", trust="secamb"), [], []),
    ],
)
def test_each_collaboration_filter_narrows_the_grid(
    southern_tracker, southern, filters, trusts, projects
):
    tracker = collaboration_tracker(southern, filters)

    assert [row.trust.short_name for row in tracker.rows] == trusts
    assert [p.title for p in tracker.projects] == projects


def test_the_rag_filter_hides_the_cells_without_that_rag_and_totals_the_cells_shown(
    southern_tracker, southern
):
    tracker = collaboration_tracker(southern, TrackerFilters(rag="green"))

    assert _collab_grid(tracker) == {
        ("LAS", AI): (ParticipationStatus.COMMITTED, 1, 0, 1, "red"),
        ("LAS", VEHICLES): (ParticipationStatus.COMMITTED, 0, 0, 1, "green"),
    }
    assert tracker.totals == RagCounts(red=1, amber=0, green=2, withdrawn=1)

    amber = collaboration_tracker(southern, TrackerFilters(rag="amber"))
    assert amber.totals == RagCounts(amber=2)


def test_the_rag_follows_the_calendar(southern_tracker, southern):
    """The same data seen 20 days later: SECAmb's report (day 10) is overdue."""
    later = collaboration_tracker(southern, TrackerFilters(), today=days(20))

    assert _collab_grid(later)[("SECAmb", AI)] == (ParticipationStatus.COMMITTED, 1, 1, 0, "red")


# --- The project grid --------------------------------------------------------------------------


def test_the_project_grid_is_participating_trusts_by_milestones(
    southern_tracker, lead_of_las, lead_of_secamb
):
    tracker = project_tracker(southern_tracker["ai"], TrackerFilters())

    assert [m.title for m in tracker.milestones] == [DSA, REPORT]
    assert _project_grid(tracker) == {
        ("LAS", DSA): (CommitmentStatus.NOT_STARTED, "red", lead_of_las.full_name),
        ("LAS", REPORT): (CommitmentStatus.IN_PROGRESS, "green", lead_of_las.full_name),
        ("SECAmb", DSA): (CommitmentStatus.BLOCKED, "amber", lead_of_secamb.full_name),
        ("SECAmb", REPORT): (CommitmentStatus.NOT_STARTED, "amber", lead_of_secamb.full_name),
    }
    assert tracker.counts == RagCounts(red=1, amber=2, green=1)
    cell = tracker.rows[0].cells[0]
    assert cell.due_on == days(-3)
    assert cell.url == cell.commitment.get_absolute_url()
    assert cell.rag_label == "Red: overdue"


def test_a_trust_without_commitments_is_a_row_of_empty_cells(southern_tracker):
    tracker = project_tracker(southern_tracker["vehicles"], TrackerFilters())

    assert _project_grid(tracker) == {
        ("LAS", "Requirements agreed"): (CommitmentStatus.DONE, "green", "Lead Las"),
        ("LAS", "Order placed"): (CommitmentStatus.WITHDRAWN, "none", "Lead Las"),
        ("SECAmb", "Requirements agreed"): None,
        ("SECAmb", "Order placed"): None,
    }
    assert tracker.rows[1].participation.status == ParticipationStatus.OPTED_OUT
    assert tracker.counts == RagCounts(green=1, withdrawn=1)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            TrackerFilters(rag="red"),
            {("LAS", DSA): "red", ("LAS", REPORT): None},
        ),
        (
            TrackerFilters(rag="amber"),
            {("SECAmb", DSA): "amber", ("SECAmb", REPORT): "amber"},
        ),
        (
            TrackerFilters(rag="green"),
            {("LAS", DSA): None, ("LAS", REPORT): "green"},
        ),
        (
            TrackerFilters(commitment_status="blocked"),
            {("SECAmb", DSA): "amber", ("SECAmb", REPORT): None},
        ),
        (
            TrackerFilters(trust="las"),
            {("LAS", DSA): "red", ("LAS", REPORT): "green"},
        ),
        (
            TrackerFilters(trust="las", rag="amber"),
            {},
        ),
        (TrackerFilters(commitment_status="accepted"), {}),
    ],
)
def test_each_project_filter_narrows_the_grid(southern_tracker, filters, expected):
    tracker = project_tracker(southern_tracker["ai"], filters)

    grid = _project_grid(tracker)
    assert {key: value and value[1] for key, value in grid.items()} == expected
    shown = [value[1] for value in grid.values() if value]
    assert tracker.counts == RagCounts(
        red=shown.count("red"), amber=shown.count("amber"), green=shown.count("green")
    )


# --- The pages ---------------------------------------------------------------------------------


class _TableReader(HTMLParser):
    """The text of each cell of the table marked data-testid="tracker", row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_table = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("data-testid", "tracker") in attrs:
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        elif self._in_table and tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _table(response) -> list[list[str]]:
    reader = _TableReader()
    reader.feed(response.content.decode())
    return reader.rows


def test_the_collaboration_page_shows_the_grid_with_rag_words(
    client, southern_tracker, southern, admin_of_southern
):
    client.force_login(admin_of_southern)

    response = client.get(reverse("projects:collaboration_tracker", args=[southern.slug]))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    table = _table(response)
    assert table[0][0] == "Trust"
    assert [row[0].split()[0] for row in table[1:]] == ["LAS", "SECAmb"]
    las_ai = table[1][1]
    assert "Committed" in las_ai
    assert "Red: overdue" in las_ai
    assert "1 red, 0 amber, 1 green" in las_ai
    assert "Amber: due soon or blocked" in table[2][1]
    assert "Opted out" in table[2][2]
    assert "No commitments with a RAG" in table[2][2]
    # Colour carries the RAG only: decisions are words, not tags.
    assert '<strong class="nhsuk-tag nhsuk-tag--green">Committed</strong>' not in html
    assert "Paramedic rota pilot" not in html
    assert "Northern fleet" not in html
    assert '<strong class="nhsuk-tag nhsuk-tag--red">Red: overdue</strong>' in html
    assert 'data-testid="count-red">1<' in html
    assert 'data-testid="count-amber">2<' in html
    assert 'data-testid="count-green">2<' in html
    assert 'scope="col"' in html and 'scope="row"' in html
    assert "style=" not in html and "<script>" not in html
    assert southern.get_absolute_url() in html


def test_the_filters_come_from_the_query_string_and_the_export_links_keep_them(
    client, southern_tracker, southern, admin_of_southern
):
    client.force_login(admin_of_southern)

    response = client.get(
        reverse("projects:collaboration_tracker", args=[southern.slug]),
        {"rag": "amber", "status": "active"},
    )

    assert response.status_code == 200
    assert [row[0].split()[0] for row in _table(response)[1:]] == ["SECAmb"]
    html = response.content.decode()
    csv_url = reverse("projects:collaboration_tracker_export", args=[southern.slug, "csv"])
    assert f'href="{csv_url}?rag=amber&amp;status=active"' in html
    assert 'value="amber" selected' in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"rag": "purple"}, "rag", "Select red, amber or green, or any RAG"),
        ({"trust": "yas"}, "trust", "Select a trust from the list, or any trust"),
        ({"status": "draft"}, "status", "Select a project status from the list"),
        ({"category": "space"}, "category", "Select a category from the list"),
    ],
)
def test_an_invalid_collaboration_filter_is_shown_at_its_field_with_a_400(
    client, southern_tracker, southern, admin_of_southern, query, field, message
):
    client.force_login(admin_of_southern)

    response = client.get(
        reverse("projects:collaboration_tracker", args=[southern.slug]),
        {**query, "category": query.get("category", "training")},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: " in html
    assert "nhsuk-error-summary" in html
    assert f'id="id_{field}-error"' in html
    assert message in html
    if field != "category":
        # The valid filter still applies.
        assert [cell for cell in _table(response)[0][1:]][0].startswith(DRIVERS)


def test_an_invalid_project_filter_is_shown_at_its_field_with_a_400(
    client, southern_tracker, admin_of_southern
):
    client.force_login(admin_of_southern)
    project = southern_tracker["ai"]

    response = client.get(
        reverse("projects:project_tracker", args=[project.slug]), {"status": "lost", "rag": "red"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_status-error"' in html
    assert "Select a commitment status from the list" in html
    assert [row[0].split()[0] for row in _table(response)[1:]] == ["LAS"]


def test_the_project_page_shows_each_commitment_with_its_rag_owner_due_date_and_link(
    client, southern_tracker, admin_of_southern, lead_of_las
):
    client.force_login(admin_of_southern)
    project = southern_tracker["ai"]

    response = client.get(reverse("projects:project_tracker", args=[project.slug]))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    table = _table(response)
    assert table[0] == [
        "Trust",
        f"{DSA} Due {days(51):%-d %b %Y}",
        f"{REPORT} Due {days(111):%-d %b %Y}",
    ]
    las_dsa = table[1][1]
    assert "Red: overdue" in las_dsa
    assert "Not started" in las_dsa
    assert f"Due {days(-3):%-d %b %Y}" in las_dsa
    assert f"Owner: {lead_of_las.full_name}" in las_dsa
    commitment = Commitment.objects.get(
        participation__project=project, participation__trust__slug="las", milestone__title=DSA
    )
    assert f'href="{commitment.get_absolute_url()}"' in html
    assert "Amber: due soon or blocked" in table[2][1]
    assert 'data-testid="count-amber">2<' in html
    assert project.get_absolute_url() in html


def test_the_project_page_filters_by_commitment_status(client, southern_tracker, admin_of_southern):
    client.force_login(admin_of_southern)
    project = southern_tracker["ai"]

    response = client.get(
        reverse("projects:project_tracker", args=[project.slug]), {"status": "blocked"}
    )

    assert response.status_code == 200
    table = _table(response)
    assert len(table) == 2
    assert table[1][0].startswith("SECAmb")
    assert "Blocked" in table[1][1]
    assert table[1][2].startswith("–")


def test_the_project_page_shows_withdrawn_commitments_without_a_rag(
    client, southern_tracker, admin_of_southern
):
    client.force_login(admin_of_southern)

    response = client.get(
        reverse("projects:project_tracker", args=[southern_tracker["vehicles"].slug])
    )

    table = _table(response)
    assert "Withdrawn" in table[1][2]
    assert "Red" not in table[1][2] and "Green" not in table[1][2]
    assert 'data-testid="count-none">1<' in response.content.decode()


# --- The downloads -----------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx(response):
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return workbook.active


def _sheet_rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


COLLAB_HEADER = [
    "Trust",
    "Project",
    "Project status",
    "Participation status",
    "Red",
    "Amber",
    "Green",
    "Worst RAG",
]
LAS_NAME = "London Ambulance Service NHS Trust"
SECAMB_NAME = "South East Coast Ambulance Service NHS Foundation Trust"


def test_the_collaboration_csv_has_one_row_per_trust_and_project(
    client, southern_tracker, southern, admin_of_southern
):
    client.force_login(admin_of_southern)

    response = client.get(
        reverse("projects:collaboration_tracker_export", args=[southern.slug, "csv"])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="southern-tracker-{today}.csv"'
    )
    assert _csv(response) == [
        COLLAB_HEADER,
        [LAS_NAME, AI, "Active", "Committed", "1", "0", "1", "Red: overdue"],
        [LAS_NAME, VEHICLES, "Active", "Committed", "0", "0", "1", "Green: on track"],
        [LAS_NAME, DRIVERS, "Open for decisions", "Undecided", "0", "0", "0", "No commitments"],
        [SECAMB_NAME, AI, "Active", "Committed", "0", "2", "0", "Amber: due soon or blocked"],
        [SECAMB_NAME, VEHICLES, "Active", "Opted out", "0", "0", "0", "No commitments"],
        [SECAMB_NAME, DRIVERS, "Open for decisions", "Undecided", "0", "0", "0", "No commitments"],
    ]


def test_the_collaboration_xlsx_has_a_bold_frozen_header_and_the_same_rows(
    client, southern_tracker, southern, admin_of_southern
):
    client.force_login(admin_of_southern)

    response = client.get(
        reverse("projects:collaboration_tracker_export", args=[southern.slug, "xlsx"])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="southern-tracker-{today}.xlsx"'
    )
    sheet = _xlsx(response)
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert not sheet["A2"].font.bold
    rows = _sheet_rows(sheet)
    assert rows[0] == COLLAB_HEADER
    assert rows[1] == [LAS_NAME, AI, "Active", "Committed", 1, 0, 1, "Red: overdue"]
    assert len(rows) == 7


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"rag": "red"}, [(LAS_NAME, AI)]),
        ({"rag": "green"}, [(LAS_NAME, AI), (LAS_NAME, VEHICLES)]),
        ({"trust": "secamb", "status": "active"}, [(SECAMB_NAME, AI), (SECAMB_NAME, VEHICLES)]),
        ({"category": "training"}, [(LAS_NAME, DRIVERS), (SECAMB_NAME, DRIVERS)]),
    ],
)
def test_the_collaboration_downloads_honour_the_filters(
    client, southern_tracker, southern, admin_of_southern, export_format, query, expected
):
    client.force_login(admin_of_southern)

    response = client.get(
        reverse("projects:collaboration_tracker_export", args=[southern.slug, export_format]),
        query,
    )

    assert response.status_code == 200
    rows = _csv(response) if export_format == "csv" else _sheet_rows(_xlsx(response))
    assert [(row[0], row[1]) for row in rows[1:]] == expected


PROJECT_HEADER = ["Trust", "Milestone", "Deliverable", "Due date", "Owner", "Status", "RAG"]


def test_the_project_csv_has_one_row_per_commitment(
    client, southern_tracker, admin_of_southern, lead_of_las, lead_of_secamb
):
    client.force_login(admin_of_southern)
    project = southern_tracker["ai"]

    response = client.get(reverse("projects:project_tracker_export", args=[project.slug, "csv"]))

    assert response.status_code == 200
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="{project.slug}-tracker-{today}.csv"'
    )
    las, secamb = lead_of_las.full_name, lead_of_secamb.full_name
    assert _csv(response) == [
        PROJECT_HEADER,
        [LAS_NAME, DSA, f"{DSA}, by each trust.", days(-3).isoformat(), las, "Not started",
         "Red: overdue"],
        [LAS_NAME, REPORT, f"{REPORT}, by each trust.", days(111).isoformat(), las,
         "In progress", "Green: on track"],
        [SECAMB_NAME, DSA, f"{DSA}, by each trust.", days(51).isoformat(), secamb, "Blocked",
         "Amber: due soon or blocked"],
        [SECAMB_NAME, REPORT, f"{REPORT}, by each trust.", days(10).isoformat(), secamb,
         "Not started", "Amber: due soon or blocked"],
    ]  # fmt: skip


def test_the_project_xlsx_has_dates_as_dates_and_a_bold_frozen_header(
    client, southern_tracker, admin_of_southern, lead_of_las
):
    client.force_login(admin_of_southern)
    project = southern_tracker["ai"]

    response = client.get(reverse("projects:project_tracker_export", args=[project.slug, "xlsx"]))

    sheet = _xlsx(response)
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    rows = _sheet_rows(sheet)
    assert rows[0] == PROJECT_HEADER
    assert len(rows) == 5
    trust, milestone, deliverable, due, owner, status, rag = rows[1]
    assert (trust, milestone, owner, status, rag) == (
        LAS_NAME,
        DSA,
        lead_of_las.full_name,
        "Not started",
        "Red: overdue",
    )
    assert isinstance(due, datetime.datetime)
    assert due.date() == days(-3)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"rag": "amber"}, [(SECAMB_NAME, DSA), (SECAMB_NAME, REPORT)]),
        ({"rag": "red"}, [(LAS_NAME, DSA)]),
        ({"status": "in_progress"}, [(LAS_NAME, REPORT)]),
        ({"trust": "secamb", "status": "blocked"}, [(SECAMB_NAME, DSA)]),
        ({"trust": "las", "rag": "amber"}, []),
    ],
)
def test_the_project_downloads_honour_the_filters(
    client, southern_tracker, admin_of_southern, export_format, query, expected
):
    client.force_login(admin_of_southern)
    project = southern_tracker["ai"]

    response = client.get(
        reverse("projects:project_tracker_export", args=[project.slug, export_format]), query
    )

    assert response.status_code == 200
    rows = _csv(response) if export_format == "csv" else _sheet_rows(_xlsx(response))
    assert [(row[0], row[1]) for row in rows[1:]] == expected


def test_a_download_with_an_invalid_filter_shows_the_page_with_the_error(
    client, southern_tracker, southern, admin_of_southern
):
    client.force_login(admin_of_southern)

    response = client.get(
        reverse("projects:collaboration_tracker_export", args=[southern.slug, "csv"]),
        {"rag": "purple"},
    )

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Select red, amber or green, or any RAG" in response.content.decode()


def test_text_that_a_spreadsheet_would_run_is_written_as_text(
    client, southern_tracker, admin_of_southern
):
    project = southern_tracker["ai"]
    formula = '=HYPERLINK("http://evil.example","Click")'
    Commitment.objects.filter(participation__project=project).update(deliverable=formula)
    client.force_login(admin_of_southern)

    as_csv = client.get(reverse("projects:project_tracker_export", args=[project.slug, "csv"]))
    as_xlsx = client.get(reverse("projects:project_tracker_export", args=[project.slug, "xlsx"]))

    assert _csv(as_csv)[1][2] == "'" + formula
    cell = _xlsx(as_xlsx)["C2"]
    assert cell.value == formula
    assert cell.data_type == "s"


def test_an_unknown_download_format_is_not_found(
    client, southern_tracker, southern, admin_of_southern
):
    client.force_login(admin_of_southern)
    project = southern_tracker["ai"]

    for url in (
        reverse("projects:collaboration_tracker_export", args=[southern.slug, "pdf"]),
        reverse("projects:project_tracker_export", args=[project.slug, "ods"]),
    ):
        assert client.get(url).status_code == 404


# --- Who may see the tracker -------------------------------------------------------------------

VIEWS = ["collaboration", "collaboration_csv", "project", "project_xlsx"]


@pytest.fixture
def tracker_urls(southern, active_project):
    return {
        "collaboration": reverse("projects:collaboration_tracker", args=[southern.slug]),
        "collaboration_csv": reverse(
            "projects:collaboration_tracker_export", args=[southern.slug, "csv"]
        ),
        "project": reverse("projects:project_tracker", args=[active_project.slug]),
        "project_xlsx": reverse(
            "projects:project_tracker_export", args=[active_project.slug, "xlsx"]
        ),
    }


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize(
    ("persona", "method", "expected"),
    [
        ("admin_of_southern", "get", 200),
        ("admin_of_southern", "post", 405),
        ("lead_of_las", "get", 403),
        ("lead_of_secamb", "get", 403),
        ("admin_of_northern", "get", 404),
    ],
)
def test_only_the_collaborations_programme_admins_see_the_tracker(
    client, request, tracker_urls, view, persona, method, expected
):
    client.force_login(request.getfixturevalue(persona))

    response = getattr(client, method)(tracker_urls[view])

    assert response.status_code == expected


@pytest.mark.parametrize("view", VIEWS)
def test_someone_signed_out_is_sent_to_sign_in(client, tracker_urls, view):
    response = client.get(tracker_urls[view])

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("view", ["project", "project_xlsx"])
def test_a_lead_of_another_collaboration_cannot_tell_a_project_exists(
    client, tracker_urls, lead_of_yas, view
):
    client.force_login(lead_of_yas)

    assert client.get(tracker_urls[view]).status_code == 404


def test_a_project_that_does_not_exist_answers_404(client, southern, admin_of_southern):
    client.force_login(admin_of_southern)

    response = client.get(reverse("projects:project_tracker", args=["no-such-project"]))

    assert response.status_code == 404


def test_a_draft_project_has_a_tracker_for_its_admins_only(
    client, draft_project, admin_of_southern, lead_of_las
):
    url = reverse("projects:project_tracker", args=[draft_project.slug])
    client.force_login(lead_of_las)
    assert client.get(url).status_code == 404
    client.force_login(admin_of_southern)
    response = client.get(url)
    assert response.status_code == 200
    assert "No trust has a part in this project yet" in response.content.decode()


def test_an_admin_of_two_collaborations_sees_each_tracker(client, southern, northern, yas):
    admin = UserFactory(home_trust=yas)
    RoleFactory(user=admin, role=Role.PROGRAMME_ADMIN, collaboration=southern)
    RoleFactory(user=admin, role=Role.PROGRAMME_ADMIN, collaboration=northern)
    client.force_login(admin)

    for collaboration in (southern, northern):
        url = reverse("projects:collaboration_tracker", args=[collaboration.slug])
        assert client.get(url).status_code == 200


# --- A bounded number of queries ---------------------------------------------------------------


def _grow(collaboration, creator, *, trusts: int, projects: int, milestones: int) -> JointProject:
    """Add member trusts, active projects and a commitment for every trust and milestone,
    in bulk. Returns the first project made."""
    new_trusts = []
    for _ in range(trusts):
        trust = TrustFactory()
        MembershipFactory(collaboration=collaboration, trust=trust)
        new_trusts.append(trust)
    member_trusts = [m.trust for m in collaboration.memberships.select_related("trust")]
    statuses = list(CommitmentStatus)
    made = []
    for n in range(projects):
        project = JointProject.objects.create(
            slug=f"grown-{collaboration.slug}-{JointProject.objects.count()}",
            collaboration=collaboration,
            title=f"Grown project {JointProject.objects.count()}",
            summary="Made in bulk.",
            category=list(Category)[n % len(Category)],
            lead_trust=member_trusts[0],
            status=ProjectStatus.ACTIVE,
            terms="Terms.",
            funding_model=FundingModel.EQUAL_SPLIT,
            total_budget=Decimal("1000.00"),
            decision_deadline=days(-30),
            planned_start=days(-20),
            planned_end=days(300),
            created_by=creator,
        )
        made.append(project)
        project_milestones = Milestone.objects.bulk_create(
            Milestone(
                project=project,
                title=f"Milestone {i}",
                deliverable="A thing.",
                due_on=days(i * 7 - 20),
            )
            for i in range(milestones)
        )
        participations = Participation.objects.bulk_create(
            Participation(project=project, trust=trust, status=ParticipationStatus.COMMITTED)
            for trust in member_trusts
        )
        Commitment.objects.bulk_create(
            Commitment(
                participation=participation,
                milestone=milestone,
                deliverable=milestone.deliverable,
                due_on=milestone.due_on,
                owner=creator,
                status=statuses[(i + j) % len(statuses)],
            )
            for i, participation in enumerate(participations)
            for j, milestone in enumerate(project_milestones)
        )
    return made[0]


def _queries_for_each_page(client, django_assert_max_num_queries, urls, bound):
    counts = {}
    for name, url in urls.items():
        with django_assert_max_num_queries(bound) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts[name] = len(captured)
    return counts


QUERY_BOUND = 11


def test_the_tracker_runs_the_same_queries_however_much_data_there_is(
    client, django_assert_max_num_queries, southern, admin_of_southern
):
    project = _grow(southern, admin_of_southern, trusts=0, projects=2, milestones=2)
    client.force_login(admin_of_southern)
    urls = {
        "collaboration": reverse("projects:collaboration_tracker", args=[southern.slug]),
        "collaboration_csv": reverse(
            "projects:collaboration_tracker_export", args=[southern.slug, "csv"]
        ),
        "collaboration_xlsx": reverse(
            "projects:collaboration_tracker_export", args=[southern.slug, "xlsx"]
        ),
        "project": reverse("projects:project_tracker", args=[project.slug]),
        "project_csv": reverse("projects:project_tracker_export", args=[project.slug, "csv"]),
        "project_xlsx": reverse("projects:project_tracker_export", args=[project.slug, "xlsx"]),
        "project_filtered": reverse("projects:project_tracker", args=[project.slug])
        + "?rag=red&trust=las",
    }
    small = _queries_for_each_page(client, django_assert_max_num_queries, urls, QUERY_BOUND)
    small_tracker = collaboration_tracker(southern, TrackerFilters())
    assert (len(small_tracker.rows), len(small_tracker.projects)) == (2, 2)

    # Four more trusts, six more projects; and the first project's trusts and milestones grow.
    _grow(southern, admin_of_southern, trusts=4, projects=6, milestones=5)
    for trust in [m.trust for m in southern.memberships.select_related("trust")][2:]:
        participation = Participation.objects.create(
            project=project, trust=trust, status=ParticipationStatus.COMMITTED
        )
        Commitment.objects.bulk_create(
            Commitment(
                participation=participation,
                milestone=milestone,
                deliverable="A thing.",
                due_on=milestone.due_on,
                status=CommitmentStatus.BLOCKED,
                owner=admin_of_southern,
            )
            for milestone in project.milestones.all()
        )
    big_tracker = collaboration_tracker(southern, TrackerFilters())
    assert (len(big_tracker.rows), len(big_tracker.projects)) == (6, 8)
    assert big_tracker.totals.total + big_tracker.totals.withdrawn == Commitment.objects.count()
    assert Commitment.objects.count() > 100
    # Written straight to the database, not through the services that audit each change and
    # so make the cached tracker stale (collab.page_cache): say so, as a bulk load must.
    new_generations()

    big = _queries_for_each_page(client, django_assert_max_num_queries, urls, QUERY_BOUND)

    assert big == small


def test_the_counts_agree_with_the_python_rag_rule(southern, admin_of_southern):
    """The SQL aggregation and `Commitment.rag()` give every commitment the same RAG."""
    project = _grow(southern, admin_of_southern, trusts=2, projects=1, milestones=8)
    today = timezone.localdate()
    expected = {rag: 0 for rag in Rag.values}
    for commitment in Commitment.objects.all():
        expected[commitment.rag(today)] += 1

    counts = project_tracker(project, TrackerFilters()).counts

    assert (counts.red, counts.amber, counts.green, counts.withdrawn) == (
        expected["red"],
        expected["amber"],
        expected["green"],
        expected["none"],
    )
    assert counts.total > 0 and counts.red > 0 and counts.amber > 0


# --- A national programme's hundreds of projects ------------------------------------------------


def test_the_collaboration_grid_shows_twenty_projects_a_page_and_downloads_them_all(
    client, django_assert_max_num_queries, southern, admin_of_southern
):
    _grow(southern, admin_of_southern, trusts=0, projects=PROJECTS_PER_PAGE + 5, milestones=1)
    client.force_login(admin_of_southern)
    url = reverse("projects:collaboration_tracker", args=[southern.slug])

    with django_assert_max_num_queries(QUERY_BOUND):
        first = client.get(url, {"status": "active"})
    last = client.get(url, {"status": "active", "page": "2"})

    first_header, last_header = _table(first)[0][1:], _table(last)[0][1:]
    assert len(first_header) == PROJECTS_PER_PAGE
    assert len(last_header) == 5
    assert not set(first_header) & set(last_header)
    # Every row has a cell per project on its page; the totals count every project.
    assert all(len(row) == 1 + 5 for row in _table(last)[1:])
    html = first.content.decode()
    assert f"and {PROJECTS_PER_PAGE + 5} projects shown" in html
    assert "this is projects 1 to 20" in html
    assert 'href="?status=active&amp;page=2"' in html
    tracker = collaboration_tracker(southern, TrackerFilters(project_status="active"))
    assert f'data-testid="count-red">{tracker.totals.red}<' in html
    # The downloads are not paged: every project, and no page in their links.
    csv_url = reverse("projects:collaboration_tracker_export", args=[southern.slug, "csv"])
    assert f'href="{csv_url}?status=active"' in html
    rows = _csv(client.get(csv_url, {"status": "active"}))[1:]
    assert len(rows) == len(tracker.rows) * (PROJECTS_PER_PAGE + 5)
