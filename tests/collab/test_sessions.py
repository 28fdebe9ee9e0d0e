"""Sessions live in Redis and in PostgreSQL (cached_db): read from Redis on every request,
and still there if Redis loses them."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_signed_in_request_reads_its_session_from_the_cache(client, staff_of_las):
    client.force_login(staff_of_las)
    client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboard")).status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"]]


def test_the_session_outlives_the_cache(client, staff_of_las):
    client.force_login(staff_of_las)
    cache.clear()
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert staff_of_las.full_name in response.content.decode()
