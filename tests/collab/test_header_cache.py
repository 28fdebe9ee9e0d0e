"""The page header, kept in the page cache for each person with their unread count
(collab.context_processors.header): never someone else's, always the person's own sign-out
token, and a new notification shows at once."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")


def _header(response) -> str:
    html = response.content.decode()
    return html[html.index('<header class="nhsuk-header"') : html.index("</header>")]


def _rendered_header(response) -> bool:
    return "includes/header.html" in [template.name for template in response.templates]


def test_the_header_is_rendered_once_for_the_person(client, lead_of_las):
    client.force_login(lead_of_las)
    assert _rendered_header(client.get(DASHBOARD))
    again = client.get(reverse("projects:list"))
    assert not _rendered_header(again)
    assert "Lead Las, LAS" in _header(again)


def test_each_person_sees_their_own_header(client, lead_of_las, staff_of_las):
    client.force_login(lead_of_las)
    client.get(DASHBOARD)
    other = Client()
    other.force_login(staff_of_las)
    header = _header(other.get(DASHBOARD))
    assert "Staff Las, LAS" in header
    assert "Lead Las" not in header


def test_a_new_notification_shows_in_the_header_at_once(client, lead_of_las):
    client.force_login(lead_of_las)
    assert "unread" not in _header(client.get(DASHBOARD))
    NotificationFactory(recipient=lead_of_las, title="A decision is due")
    assert "1 unread" in _header(client.get(DASHBOARD))


def test_a_new_name_shows_in_the_header_at_once(client, lead_of_las):
    client.force_login(lead_of_las)
    client.get(DASHBOARD)
    lead_of_las.full_name = "Amara Okafor"
    lead_of_las.save(update_fields=["full_name"])
    assert "Amara Okafor, LAS" in _header(client.get(DASHBOARD))


def test_signing_out_from_a_header_out_of_the_cache_passes_the_csrf_check(lead_of_las):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(lead_of_las)
    browser.get(DASHBOARD)
    header = _header(browser.get(DASHBOARD))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', header).group(1)
    response = browser.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in browser.session
