"""Shared personas: two trusts in two collaborations, and the people who work in them.

LAS (trust A) belongs to the Southern collaboration (X); YAS (trust B) to the Northern (Y).
"""

import pytest
from django.db import connection

from collab.models import Role
from collab.page_cache import new_generations
from tests.factories import (
    ChairTermFactory,
    CollaborationFactory,
    MembershipFactory,
    RoleFactory,
    TrustFactory,
    UserFactory,
)

# Shared fixtures: real_worker (a Celery worker thread on the test Redis) and scene (the
# objects of a per-view permission case).
pytest_plugins = ["tests.celery_worker", "tests.view_cases"]


@pytest.fixture
def las(db):
    trust = TrustFactory(
        name="London Ambulance Service NHS Trust",
        short_name="LAS",
        slug="las",
        ods_code="RRU",
        region="London",
    )
    trust.email_domains.create(domain="lond-amb.nhs.uk")
    return trust


@pytest.fixture
def secamb(db):
    return TrustFactory(
        name="South East Coast Ambulance Service NHS Foundation Trust",
        short_name="SECAmb",
        slug="secamb",
        ods_code="RYD",
        region="South East",
    )


@pytest.fixture
def yas(db):
    trust = TrustFactory(
        name="Yorkshire Ambulance Service NHS Trust",
        short_name="YAS",
        slug="yas",
        ods_code="RX8",
        region="North East and Yorkshire",
    )
    trust.email_domains.create(domain="yas.nhs.uk")
    return trust


@pytest.fixture
def southern(las, secamb):
    collaboration = CollaborationFactory(
        name="Southern Ambulance Services Collaboration", short_name="SASC", slug="southern"
    )
    MembershipFactory(collaboration=collaboration, trust=las)
    MembershipFactory(collaboration=collaboration, trust=secamb)
    ChairTermFactory(
        collaboration=collaboration, trust=secamb, chair_name="Chief Executive, SECAmb"
    )
    return collaboration


@pytest.fixture
def northern(yas):
    collaboration = CollaborationFactory(
        name="Northern Ambulance Alliance", short_name="NAA", slug="northern"
    )
    MembershipFactory(collaboration=collaboration, trust=yas)
    ChairTermFactory(collaboration=collaboration, trust=yas)
    return collaboration


def _person(email: str, trust, *roles: dict):
    user = UserFactory(
        email=email, full_name=email.split("@")[0].replace(".", " ").title(), home_trust=trust
    )
    for role in roles:
        RoleFactory(user=user, **role)
    return user


@pytest.fixture
def lead_of_las(las, southern):
    return _person(
        "lead.las@example.org",
        las,
        {"role": Role.TRUST_LEAD, "trust": las},
        {"role": Role.STAFF, "trust": las},
    )


@pytest.fixture
def staff_of_las(las, southern):
    return _person("staff.las@example.org", las, {"role": Role.STAFF, "trust": las})


@pytest.fixture
def lead_of_secamb(secamb, southern):
    return _person(
        "lead.secamb@example.org",
        secamb,
        {"role": Role.TRUST_LEAD, "trust": secamb},
        {"role": Role.STAFF, "trust": secamb},
    )


@pytest.fixture
def lead_of_yas(yas, northern):
    return _person(
        "lead.yas@example.org",
        yas,
        {"role": Role.TRUST_LEAD, "trust": yas},
        {"role": Role.STAFF, "trust": yas},
    )


@pytest.fixture
def admin_of_southern(secamb, southern):
    return _person(
        "admin.southern@example.org",
        secamb,
        {"role": Role.PROGRAMME_ADMIN, "collaboration": southern},
    )


@pytest.fixture
def admin_of_northern(yas, northern):
    return _person(
        "admin.northern@example.org", yas, {"role": Role.PROGRAMME_ADMIN, "collaboration": northern}
    )


@pytest.fixture
def site_admin(db):
    return _person("siteadmin@example.org", None, {"role": Role.SITE_ADMIN})


@pytest.fixture(scope="session", autouse=True)
def _close_stray_test_database_sessions(django_db_setup, django_db_blocker):
    """Let pytest-django drop the test database at the end of the run.

    Threads that outlive their test (the session-wide live server's) can keep a connection
    open, and PostgreSQL refuses to drop a database that is in use.
    """
    yield
    if not connection.settings_dict["NAME"].startswith("test_"):
        return  # no test of this run used the database: nothing to drop, nothing to close
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Each test's database starts again from the same ids, but Redis keeps what an earlier
    test cached: a new generation makes every cached part of a page stale (collab.page_cache),
    as a committed change would."""
    new_generations()
