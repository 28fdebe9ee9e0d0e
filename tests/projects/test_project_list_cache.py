"""The project list's filters and cards are cached (collab.page_cache) for everyone who sees the
same collaborations (collab.selectors.visibility_of): nobody is served a list cached for
someone who sees more, and a change made through the services shows at once."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.services import project_open
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _titles(client, **query) -> list[str]:
    response = client.get(reverse("projects:list"), query)
    assert response.status_code == 200
    cards = re.findall(
        r'class="nhsuk-card__link" href="[^"]*">([^<]*)</a>', response.content.decode()
    )
    return cards


def test_a_draft_stays_with_the_programme_admins_whoever_cached_the_list_first(
    client, draft_project, admin_of_southern, staff_of_las
):
    client.force_login(admin_of_southern)
    assert _titles(client) == ["AI triage evaluation"]
    client.force_login(staff_of_las)
    assert _titles(client) == []
    client.force_login(admin_of_southern)
    assert _titles(client) == ["AI triage evaluation"]


def test_another_collaborations_trust_never_gets_the_list_cached_for_southern(
    client, open_project, staff_of_las, lead_of_yas
):
    client.force_login(staff_of_las)
    assert _titles(client) == ["AI triage evaluation"]
    client.force_login(lead_of_yas)
    assert _titles(client) == []


def test_people_of_the_same_trust_share_one_cached_list(
    client, open_project, las, staff_of_las, lead_of_las
):
    client.force_login(staff_of_las)
    with CaptureQueriesContext(connection) as first:
        assert _titles(client) == ["AI triage evaluation"]
    colleague = UserFactory(home_trust=las)
    RoleFactory(user=colleague, trust=las)
    client.force_login(colleague)
    with CaptureQueriesContext(connection) as second:
        assert _titles(client) == ["AI triage evaluation"]
    # The count and the page of projects are not queried again.
    assert len(second) <= len(first) - 2


def test_opening_a_draft_shows_it_to_the_member_trusts_at_once(
    client, django_capture_on_commit_callbacks, draft_project, admin_of_southern, staff_of_las
):
    client.force_login(staff_of_las)
    assert _titles(client) == []
    with django_capture_on_commit_callbacks(execute=True):
        project_open(project=draft_project, actor=admin_of_southern)
    assert _titles(client) == ["AI triage evaluation"]


def test_a_bad_filter_is_still_refused_next_to_the_field_once_the_list_is_cached(
    client, open_project, staff_of_las
):
    client.force_login(staff_of_las)
    for _ in range(2):
        response = client.get(reverse("projects:list"), {"status": "sideways"})
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()
