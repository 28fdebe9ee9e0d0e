"""A project's page keeps its record (terms, milestones, decisions, every trust's progress,
benefits, requests, timeline) and its pending requests in the page cache (collab.page_cache):
shared by everyone who sees it with the same `is_admin`, while what depends on the viewer (the
admin's actions, the lead's own trust card, their own trusts' commitments, the procurement
rounds) is cached per role and home trust."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.services import withdrawal_request_create
from tests.cache_reads import record_part_reads
from tests.projects.helpers import block_first_commitment

pytestmark = pytest.mark.django_db


def _page(client, project) -> str:
    response = client.get(reverse("projects:detail", args=[project.slug]))
    assert response.status_code == 200
    return response.content.decode()


def _las_commitments(html: str) -> str:
    table = re.search(r'data-testid="commitments-las".*?</table>', html, re.S)
    assert table, "LAS has a table of commitments"
    return table.group(0)


def test_a_commitment_update_shows_on_the_cached_page_at_once(
    client, django_capture_on_commit_callbacks, active_project, las, lead_of_las
):
    client.force_login(lead_of_las)
    assert "Blocked" not in _las_commitments(_page(client, active_project))
    _page(client, active_project)  # now from the cache

    with django_capture_on_commit_callbacks(execute=True):
        block_first_commitment(active_project, las, lead_of_las)

    assert "Blocked" in _las_commitments(_page(client, active_project))


def test_the_second_view_of_a_project_reads_its_record_from_the_cache(
    client, active_project, lead_of_las
):
    client.force_login(lead_of_las)
    with CaptureQueriesContext(connection) as first:
        _page(client, active_project)
    with CaptureQueriesContext(connection) as second:
        _page(client, active_project)
    # The record alone takes seven queries (participations, commitments, requests,
    # milestones, benefits, timeline); the page around it takes its own on every view.
    assert len(second) <= len(first) - 6


def test_only_admins_get_the_decide_link_whoever_cached_the_page_first(
    client,
    django_capture_on_commit_callbacks,
    active_project,
    las,
    lead_of_las,
    admin_of_southern,
):
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal_request_create(
            participation=active_project.participations.get(trust=las),
            actor=lead_of_las,
            reason="Our control room moves to a new system next year.",
            impact="The evaluation loses London's calls.",
        )
    decide = re.compile(r'data-testid="pending-requests".*?Decide<span', re.S)

    client.force_login(lead_of_las)
    lead_sees = _page(client, active_project)
    client.force_login(admin_of_southern)
    admin_sees = _page(client, active_project)
    client.force_login(lead_of_las)
    lead_sees_again = _page(client, active_project)

    assert "Our control room moves" in lead_sees
    assert not decide.search(lead_sees)
    assert decide.search(admin_sees)
    assert not decide.search(lead_sees_again)


def test_each_lead_gets_their_own_trust_card_on_the_shared_page(
    client, active_project_both, lead_of_las, lead_of_secamb
):
    client.force_login(lead_of_las)
    las_sees = _page(client, active_project_both)
    client.force_login(lead_of_secamb)
    secamb_sees = _page(client, active_project_both)

    assert "LAS in this project" in las_sees and "SECAmb in this project" not in las_sees
    assert "SECAmb in this project" in secamb_sees and "LAS in this project" not in secamb_sees
    record = re.compile(r'<h2 class="nhsuk-heading-m">What joining means</h2>.*</ol>', re.S)
    assert record.search(las_sees).group(0) == record.search(secamb_sees).group(0)


def test_a_drafts_remove_forms_are_rendered_for_each_view_with_a_fresh_csrf_token(
    client, draft_project, admin_of_southern
):
    """Were the draft admin's record cached, the second view would repeat the first token
    (Django masks the token afresh on every render)."""
    client.force_login(admin_of_southern)
    token = re.compile(r'milestone.*?name="csrfmiddlewaretoken" value="([^"]+)"', re.S)
    first = token.search(_page(client, draft_project)).group(1)
    second = token.search(_page(client, draft_project)).group(1)
    assert first != second


# --- What the page shows each viewer for their role (projects.views.pages._viewer_parts) -----


def test_a_leads_decision_shows_on_their_cached_card_at_once(
    client, django_capture_on_commit_callbacks, open_project, las_participation, lead_of_las
):
    from projects.services import participation_decide

    client.force_login(lead_of_las)
    assert "Decide for LAS" in _page(client, open_project)
    _page(client, open_project)  # now from the cache
    with django_capture_on_commit_callbacks(execute=True):
        participation_decide(
            participation=las_participation,
            actor=lead_of_las,
            opt_in=True,
            reason="Triage is our top priority.",
            contact=lead_of_las,
            confirmed=True,
        )
    html = _page(client, open_project)
    assert "Change your decision" in html and "Decide for LAS" not in html


def test_the_second_view_reads_the_viewers_cards_without_a_query(
    client, active_project, lead_of_las
):
    client.force_login(lead_of_las)
    _page(client, active_project)
    with CaptureQueriesContext(connection) as second:
        html = _page(client, active_project)
    assert "LAS in this project" in html
    tables = " ".join(query["sql"] for query in second.captured_queries)
    assert "projects_participation" not in tables
    assert "projects_jointproject" not in tables


def test_the_admins_forms_from_the_cache_carry_each_viewers_own_csrf_token(
    open_project, admin_of_southern
):
    """The admin's card is cached with a slot for the token: a new session's copy must post."""
    from django.test import Client

    start = re.compile(
        r'action="([^"]+/start/)".*?name="csrfmiddlewaretoken" value="([^"]+)"', re.S
    )
    first = Client(enforce_csrf_checks=True)
    first.force_login(admin_of_southern)
    _page(first, open_project)  # cached now, with the slot
    second = Client(enforce_csrf_checks=True)
    second.force_login(admin_of_southern)
    action, token = start.search(_page(second, open_project)).groups()
    response = second.post(action, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_a_trusts_staff_and_its_lead_each_get_their_own_cards(
    client, active_project, staff_of_las, lead_of_las
):
    client.force_login(staff_of_las)
    assert "LAS in this project" not in _page(client, active_project)
    client.force_login(lead_of_las)
    assert "LAS in this project" in _page(client, active_project)
    client.force_login(staff_of_las)
    assert "LAS in this project" not in _page(client, active_project)


def test_the_page_reads_the_cache_in_two_round_trips(
    client, monkeypatch, active_project, lead_of_las
):
    """The project with the collaborations of the reader's trust (may they see it?), then the
    header, the reader's part and the record: two round trips to Redis besides the session."""
    client.force_login(lead_of_las)
    _page(client, active_project)
    parts_read = record_part_reads(monkeypatch)

    _page(client, active_project)

    assert parts_read == [
        ["project-by-slug", "member-collaborations"],
        ["page-header", "project-page-viewer", "project-page"],
    ]


def test_one_csrf_token_fills_every_form_of_the_page(client, open_project, admin_of_southern):
    client.force_login(admin_of_southern)
    html = _page(client, open_project)
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert len(tokens) >= 2, "the header's sign-out form and the admin's forms"
    assert len(set(tokens)) == 1
