"""The project page's commitments: every trust's progress in one row each, and the viewer's own
trusts' commitments in full. The own-trust table is cached with the viewer's part of the page
(keyed on their home trust and the trusts they lead), so who sees which table is checked with
the cache warm from someone else's view."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from collab.models import Role
from collab.page_cache import new_generations
from projects.models import Commitment, CommitmentStatus
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _page(client, user, project) -> str:
    client.force_login(user)
    response = client.get(reverse("projects:detail", args=[project.slug]))
    assert response.status_code == 200
    return response.content.decode()


def _progress_cells(html: str, short_name: str) -> list[str]:
    """The text of each cell of a trust's row in the progress table."""
    table = re.search(r'data-testid="commitment-progress".*?</table>', html, re.S)
    assert table, "the page has a progress table"
    row = re.search(rf'<tr[^>]*data-trust="{short_name}".*?</tr>', table.group(0), re.S)
    assert row, f"{short_name} has a row of progress"
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row.group(0), re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", cell).split()) for cell in cells]


def _set(project, trust, **changes) -> None:
    """Arranges commitments directly (the services' rules are tested elsewhere), then starts
    a new cache generation, as the services' audit would."""
    Commitment.objects.filter(participation__project=project, participation__trust=trust).filter(
        milestone__title=changes.pop("milestone")
    ).update(**changes)
    new_generations()


def test_each_trust_has_a_row_of_progress_with_what_it_delivers_next(
    client, active_project_both, staff_of_las, las, secamb
):
    html = _page(client, staff_of_las, active_project_both)

    for trust in (las, secamb):
        assert _progress_cells(html, trust.short_name) == [
            trust.short_name,
            "0 of 2",
            "0",
            "0",
            f"Data sharing agreement signed for {trust.short_name}, "
            + (timezone.localdate() + datetime.timedelta(days=51)).strftime("%-d %b %Y"),
        ]


def test_progress_counts_delivered_late_and_blocked_and_skips_withdrawn(
    client, active_project_both, staff_of_las, las, secamb
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    _set(
        active_project_both,
        las,
        milestone="Data sharing agreement signed",
        status=CommitmentStatus.IN_PROGRESS,
        due_on=yesterday,
    )
    _set(
        active_project_both,
        las,
        milestone="Evaluation report",
        status=CommitmentStatus.BLOCKED,
    )
    _set(
        active_project_both,
        secamb,
        milestone="Data sharing agreement signed",
        status=CommitmentStatus.ACCEPTED,
    )
    _set(
        active_project_both,
        secamb,
        milestone="Evaluation report",
        status=CommitmentStatus.WITHDRAWN,
    )

    html = _page(client, staff_of_las, active_project_both)

    las_cells = _progress_cells(html, "LAS")
    assert las_cells[1:4] == ["0 of 2", "1 late", "1"]
    # The late one is not what LAS works towards next: the blocked report is.
    assert las_cells[4].startswith("Evaluation report for LAS, ")
    secamb_cells = _progress_cells(html, "SECAmb")
    assert secamb_cells[1:5] == ["1 of 1", "0", "0", "–"]


def test_staff_see_their_own_trusts_commitments_in_full_and_no_other_trusts(
    client, active_project_both, staff_of_las, secamb, lead_of_secamb, admin_of_southern
):
    las_view = _page(client, staff_of_las, active_project_both)
    assert 'data-testid="commitments-las"' in las_view
    assert 'data-testid="commitments-secamb"' not in las_view
    las_table = re.search(r'data-testid="commitments-las".*?</table>', las_view, re.S).group(0)
    assert las_table.count('<tr class="nhsuk-table__row"><td') == 2

    # The viewer part is cached; the next readers, from another trust, get their own: staff
    # with the same role as the first, and a lead.
    staff_of_secamb = UserFactory(home_trust=secamb)
    RoleFactory(user=staff_of_secamb, role=Role.STAFF, trust=secamb)
    for reader in (staff_of_secamb, lead_of_secamb):
        secamb_view = _page(client, reader, active_project_both)
        assert 'data-testid="commitments-secamb"' in secamb_view
        assert 'data-testid="commitments-las"' not in secamb_view

    # A programme admin gets their home trust's table (SECAmb's), and every trust's progress
    # with the tracker for the rest.
    admin_view = _page(client, admin_of_southern, active_project_both)
    assert 'data-testid="commitments-secamb"' in admin_view
    assert 'data-testid="commitments-las"' not in admin_view
    assert reverse("projects:project_tracker", args=[active_project_both.slug]) in admin_view
    assert 'data-testid="commitment-progress"' in admin_view


def test_before_the_project_starts_there_is_no_progress_and_no_commitments(
    client, open_project, staff_of_las
):
    html = _page(client, staff_of_las, open_project)
    assert 'data-testid="commitment-progress"' not in html
    assert 'data-testid="commitments-' not in html
