"""A dashboard's decisions, projects, trust, roles and collaborations are cached
(collab.page_cache) for everyone with the same home trust and roles
(collab.selectors.dashboard_audience); the person's own late commitments are cached for them
alone."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from collab.models import Role
from collab.services import role_assign
from projects.models import Commitment, CommitmentStatus
from projects.services import commitment_update
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _dashboard(client) -> str:
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}".*?</(ul|dl)>', html, re.S)
    return found.group(0) if found else ""


def test_colleagues_with_the_same_roles_share_one_cached_dashboard(
    client, active_project, las, staff_of_las
):
    colleague = UserFactory(home_trust=las, full_name="Sam Colleague")
    RoleFactory(user=colleague, role=Role.STAFF, trust=las)

    client.force_login(staff_of_las)
    with CaptureQueriesContext(connection) as first:
        mine = _dashboard(client)
    client.force_login(colleague)
    with CaptureQueriesContext(connection) as second:
        theirs = _dashboard(client)

    assert "AI triage evaluation" in _section(theirs, "my-projects")
    assert _section(mine, "my-projects") == _section(theirs, "my-projects")
    assert "Sam Colleague" in theirs and "Sam Colleague" not in mine
    # Collaborations, memberships, chairs, the home trust and the projects come from the cache.
    assert len(second) <= len(first) - 4


def test_late_commitments_are_the_persons_own_whoever_cached_the_dashboard(
    client, active_project, las, staff_of_las
):
    colleague = UserFactory(home_trust=las)
    RoleFactory(user=colleague, role=Role.STAFF, trust=las)
    Commitment.objects.filter(participation__project=active_project).update(
        owner=staff_of_las, due_on=timezone.localdate() - timezone.timedelta(days=3)
    )

    client.force_login(colleague)
    colleague_first = _dashboard(client)
    client.force_login(staff_of_las)
    owner_sees = _dashboard(client)

    assert 'data-testid="late-commitments"' not in colleague_first
    assert "Data sharing agreement signed" in _section(owner_sees, "late-commitments")


def test_another_trust_with_the_same_roles_never_gets_the_cached_dashboard(
    client, active_project, staff_of_las, secamb
):
    stranger = UserFactory(home_trust=secamb)
    RoleFactory(user=stranger, role=Role.STAFF, trust=secamb)

    client.force_login(staff_of_las)
    las_sees = _dashboard(client)
    client.force_login(stranger)
    secamb_sees = _dashboard(client)

    assert "London Ambulance Service NHS Trust" in _section(las_sees, "home-trust")
    assert "South East Coast" in _section(secamb_sees, "home-trust")
    assert "AI triage evaluation" not in _section(secamb_sees, "my-projects")


def test_a_new_role_shows_on_the_dashboard_at_once(
    client, django_capture_on_commit_callbacks, southern, staff_of_las, admin_of_southern
):
    client.force_login(staff_of_las)
    assert "Programme admin" not in _section(_dashboard(client), "roles")

    with django_capture_on_commit_callbacks(execute=True):
        role_assign(
            user=staff_of_las,
            role=Role.PROGRAMME_ADMIN,
            actor=admin_of_southern,
            collaboration=southern,
        )

    page = _dashboard(client)
    assert "Programme admin of Southern Ambulance Services Collaboration" in _section(page, "roles")
    assert "You are a programme admin" in page


def test_late_commitments_come_from_the_cache_until_one_is_handed_in(
    client, django_capture_on_commit_callbacks, active_project, las, lead_of_las
):
    Commitment.objects.filter(participation__project=active_project).update(
        due_on=timezone.localdate() - timezone.timedelta(days=3)
    )
    client.force_login(lead_of_las)
    with CaptureQueriesContext(connection) as first:
        assert "Data sharing agreement signed" in _section(_dashboard(client), "late-commitments")
    with CaptureQueriesContext(connection) as second:
        _dashboard(client)
    assert any("projects_commitment" in q["sql"] for q in first.captured_queries)
    assert not any("projects_commitment" in q["sql"] for q in second.captured_queries)

    with django_capture_on_commit_callbacks(execute=True):
        for commitment in Commitment.objects.filter(participation__trust=las):
            commitment_update(
                commitment=commitment,
                actor=lead_of_las,
                status=CommitmentStatus.DONE,
                note="Signed by both trusts.",
            )

    assert 'data-testid="late-commitments"' not in _dashboard(client)
