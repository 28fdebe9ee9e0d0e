"""The commitment tracker of a collaboration is cached (collab.page_cache): every programme
admin of the collaboration shares it, and a change made through the services shows at once."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from collab.models import Role
from tests.cache_reads import record_part_reads
from tests.factories import RoleFactory, UserFactory
from tests.projects.helpers import block_first_commitment

pytestmark = pytest.mark.django_db


def _las_cell_counts(client, collaboration) -> str:
    response = client.get(reverse("projects:collaboration_tracker", args=[collaboration.slug]))
    assert response.status_code == 200
    row = re.search(r'data-trust="las".*?</tr>', response.content.decode(), re.S)
    assert row, "LAS has a row in the tracker"
    counts = re.search(r'data-testid="cell-counts">([^<]*)<', row.group(0))
    return counts.group(1)


def test_a_commitment_update_shows_in_the_cached_tracker_at_once(
    client,
    django_capture_on_commit_callbacks,
    active_project,
    las,
    lead_of_las,
    southern,
    admin_of_southern,
):
    client.force_login(admin_of_southern)
    commitments = active_project.participations.get(trust=las).commitments.count()
    before = _las_cell_counts(client, southern)
    assert before == f"0 red, 0 amber, {commitments} green"
    assert _las_cell_counts(client, southern) == before  # now from the cache

    with django_capture_on_commit_callbacks(execute=True):
        block_first_commitment(active_project, las, lead_of_las)

    assert _las_cell_counts(client, southern) == f"0 red, 1 amber, {commitments - 1} green"


def test_the_second_view_of_the_tracker_reads_it_from_the_cache(
    client, active_project, southern, admin_of_southern
):
    """Without the cache the grid takes its own queries on every view (test_tracker.py
    bounds them); from the cache only the page around it does."""
    client.force_login(admin_of_southern)
    url = reverse("projects:collaboration_tracker", args=[southern.slug])
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(second) < len(first)


def test_each_programme_admin_sees_the_shared_tracker_under_their_own_name(
    client, active_project, southern, secamb, admin_of_southern
):
    other_admin = UserFactory(full_name="Priya Southern", home_trust=secamb)
    RoleFactory(user=other_admin, role=Role.PROGRAMME_ADMIN, collaboration=southern)
    url = reverse("projects:collaboration_tracker", args=[southern.slug])

    client.force_login(admin_of_southern)
    first = client.get(url).content.decode()
    client.force_login(other_admin)
    second = client.get(url).content.decode()

    grid = re.compile(r'<table class="nhsuk-table portal-tracker".*?</table>', re.S)
    assert grid.search(first).group(0) == grid.search(second).group(0)
    assert "Priya Southern" in second and "Priya Southern" not in first
    assert admin_of_southern.full_name in first and admin_of_southern.full_name not in second


def test_a_filter_is_part_of_what_the_cached_tracker_varies_on(
    client, active_project, southern, admin_of_southern
):
    client.force_login(admin_of_southern)
    url = reverse("projects:collaboration_tracker", args=[southern.slug])
    everything = client.get(url).content.decode()
    only_red = client.get(url, {"rag": "red"}).content.decode()
    assert 'data-testid="tracker"' in everything
    assert 'data-testid="tracker"' not in only_red
    assert "No trusts or projects match these filters." in only_red


def test_a_bad_filter_is_a_400_with_its_error_from_the_cache_too(
    client, active_project, southern, admin_of_southern
):
    client.force_login(admin_of_southern)
    url = reverse("projects:collaboration_tracker", args=[southern.slug])
    first = client.get(url, {"rag": "purple"})
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url, {"rag": "purple"})

    assert (first.status_code, second.status_code) == (400, 400)
    assert "<title>Error: " in second.content.decode()
    assert "Select red, amber or green, or any RAG" in second.content.decode()
    # The member trusts that the filter is checked against come from the cache with the grid.
    member_trusts = 'SELECT "collab_collaborationmembership"."id"'
    assert not any(q["sql"].startswith(member_trusts) for q in queries.captured_queries)


def test_the_tracker_reads_the_cache_in_two_round_trips_and_no_query_of_its_own(
    client, monkeypatch, active_project, southern, admin_of_southern
):
    """The collaboration with the collaborations of the admin's trust, then the header with
    the grid; PostgreSQL only answers for the session's person and their roles."""
    client.force_login(admin_of_southern)
    url = reverse("projects:collaboration_tracker", args=[southern.slug])
    client.get(url)
    parts_read = record_part_reads(monkeypatch)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    assert parts_read == [
        ["collaboration-by-slug", "member-collaborations"],
        ["page-header", "collaboration-tracker-page"],
    ]
    tables = " ".join(q["sql"].split('"')[1] for q in queries if q["sql"].startswith("SELECT"))
    assert "collab_collaboration" not in tables


def test_a_trust_lead_outside_the_collaboration_cannot_tell_its_tracker_exists(
    client, southern, lead_of_yas
):
    client.force_login(lead_of_yas)
    url = reverse("projects:collaboration_tracker", args=[southern.slug])
    client.get(url)  # the collaboration is cached now

    assert client.get(url).status_code == 404


def test_an_admin_whose_role_ends_loses_the_tracker_at_once(
    client, django_capture_on_commit_callbacks, southern, admin_of_southern
):
    client.force_login(admin_of_southern)
    url = reverse("projects:collaboration_tracker", args=[southern.slug])
    assert client.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        admin_of_southern.role_assignments.filter(role=Role.PROGRAMME_ADMIN).delete()

    assert client.get(url).status_code in (403, 404)
