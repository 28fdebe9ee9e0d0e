"""Benchmark: a campaign's idea list, sorted by votes, at 10,000 ideas and 200,000 votes.

    .venv/bin/python -m bench.idea_list [--ideas 10000] [--votes 200000] [--requests 30]

Builds the data (bench/idea_data.py) in its own PostgreSQL database, `ambulance_portal_bench_ideas`
(dropped and created each run), then requests the campaign page through Django's test client,
signed in as a member of staff: first page and a deep page for each sort order. Prints the time
per request (min, median, p95) and the SQL queries per request. In-process, without a web
server: issue 7's `make bench` measures the same page under HTTP load.
"""

import argparse
import os
import statistics
import time

import psycopg

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "ambulance_portal_bench_ideas"


def recreate_database() -> None:
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DB_NAME}"')


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "collab.settings.test"
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{DB_NAME}"
    os.environ["REDIS_URL"] = "redis://127.0.0.1:6379/14"
    import django

    django.setup()


def build(ideas: int, votes: int):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    from bench.idea_data import build_ideas_and_votes
    from collab.models import (
        Collaboration,
        CollaborationMembership,
        Role,
        RoleAssignment,
        Trust,
        User,
    )
    from wellbeing.services.campaigns import campaign_create

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    trusts = [
        Trust.objects.create(
            name=f"Ambulance Service {n} NHS Trust",
            short_name=f"AS{n}",
            slug=f"as{n}",
            ods_code=f"R{n:02d}",
        )
        for n in range(10)
    ]
    national = Collaboration.objects.create(
        name="National programme", short_name="NAT", slug="national"
    )
    for trust in trusts:
        CollaborationMembership.objects.create(
            collaboration=national, trust=trust, joined_on=today - datetime.timedelta(days=400)
        )
    admin = User.objects.create_user("admin@example.org", None, full_name="Programme admin")
    RoleAssignment.objects.create(user=admin, role=Role.PROGRAMME_ADMIN, collaboration=national)
    reader = User.objects.create_user(
        "reader@example.org", None, full_name="Reader", home_trust=trusts[0]
    )
    RoleAssignment.objects.create(user=reader, role=Role.STAFF, trust=trusts[0])
    campaign = campaign_create(
        actor=admin,
        collaboration=national,
        themes=[f"Theme {n}" for n in range(11)],
        title="Wellbeing and career progression",
        question="How can we best protect the wellbeing of ambulance staff?",
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=30),
    )
    started = time.perf_counter()
    build_ideas_and_votes(campaign, trusts, ideas=ideas, votes=votes)
    print(
        f"data: {ideas:,} ideas and {votes:,} votes built in {time.perf_counter() - started:.1f} s"
    )
    return campaign, reader


def measure(campaign, reader, requests: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(reader)
    print(f"{'sort':<10} {'page':>5} {'min ms':>8} {'median':>8} {'p95':>8} {'queries':>8}")
    for sort in ("votes", "newest", "discussed", "trending"):
        for page in ("1", "200"):
            query = {"sort": sort, "page": page}
            client.get(campaign.get_absolute_url(), query)  # warm-up
            times, queries = [], 0
            for _ in range(requests):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(campaign.get_absolute_url(), query)
                    times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
                queries = len(captured)
            times.sort()
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            print(
                f"{sort:<10} {page:>5} {times[0]:>8.1f} {statistics.median(times):>8.1f} "
                f"{p95:>8.1f} {queries:>8}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--votes", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=30)
    arguments = parser.parse_args()
    recreate_database()
    setup_django()
    campaign, reader = build(arguments.ideas, arguments.votes)
    measure(campaign, reader, arguments.requests)


if __name__ == "__main__":
    main()
