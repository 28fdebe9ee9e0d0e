"""Benchmark: one commitment reminder sweep over N open commitments, on PostgreSQL and Redis.

A benchmark, not a test: nothing is asserted, it reports figures. Run it from the repository root
after `make install`, with the machine's PostgreSQL (127.0.0.1:5432, user postgres, trust auth)
and Redis (127.0.0.1:6379) up (`make services` starts both):

    .venv/bin/python -m bench.reminder_sweep                        # N = 100,000
    .venv/bin/python -m bench.reminder_sweep --commitments 10000
    .venv/bin/python -m bench.reminder_sweep --keep                 # reuse data built today

Options: --commitments N (open commitments, default 100,000), --keep (reuse the database if it
holds this N built today by this version of the generator; otherwise it is rebuilt), --runs R
(timed runs per measurement, default 5, after one warm-up run), --sample S (commitments for the
per-item measurement, default 500), --output PATH (default bench/results/reminder_sweep.json).

What it touches, and nothing else: the PostgreSQL database `ambulance_portal_bench` (dropped and
rebuilt unless --keep applies) and Redis database 14 (its Celery queue is purged before and
after). Settings are `collab.settings.test` with DATABASE_URL and REDIS_URL pointed at those, and
Celery's eager mode switched off, so the fan-out publishes to Redis as production does. No
worker runs: tasks are counted in the queue and purged, and no email is sent.

The data: 13 trusts in 2 collaborations of 7 (one trust in both), 40 staff and 1 trust lead per
trust, 2 programme admins per collaboration; one active project per 250 open commitments, in
each 6 trusts committed and 1 not joined; N open commitments (not started, in progress or
blocked) due from 60 days ago to 300 days ahead, 10% without an owner; a quarter as many again
accepted on past milestones, and some completed projects. For 90% of the open commitments every
rung of the ladder up to yesterday was already sent (notifications with their sent deliveries),
as daily sweeps would have left them; the other 10% have none (a sweep missed them).

What it measures (min and median of the timed runs, after VACUUM ANALYZE):
  a) `commitments_due_a_reminder(today)`: seconds, SQL queries, rows selected;
  b) the sweep task body `send_commitment_reminders()` called in-process: seconds, queries and
     tasks published to Redis (purged after each run);
  c) `commitment_remind` for a sample of selected commitments, each in its own transaction
     committed as a worker would (so the on-commit publish of deliveries reaches Redis); what
     they wrote is deleted after each run so every run does the same work: ms and queries per
     item;
  d) EXPLAIN (ANALYZE, BUFFERS) of the selection query: the top of the plan, the indexes used,
     the planner's estimated cost and the time PostgreSQL spent compiling it (JIT); again with
     jit = off, and again after c)'s writes.
It prints a table and writes the figures, the machine and the date as JSON.

Reading the figures: the machine's other work shows in the gap between min and median (the load
average is recorded). The selection query's time can flip between runs of the same data: its
estimated cost sits near PostgreSQL's jit_optimize_above_cost (500,000), and ANALYZE's random
sample decides which side it lands on; past it, JIT compilation costs more than the query. The
"jit = off" line is the stable figure.
"""

import argparse
import datetime
import functools
import json
import math
import os
import platform
import random
import re
import statistics
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import psycopg
import redis
from psycopg import sql

DB_NAME = "ambulance_portal_bench"
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/14"
QUEUE = "celery"  # Celery's default queue: the Redis list that fan_out pushes to
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results" / "reminder_sweep.json"
# Bump when the generator changes, so --keep never reuses data of another shape.
DATA_VERSION = 1
SEED = 20_251_001
BATCH = 5_000

# The shape of the data (see the module docstring).
TRUSTS = 13
COLLABORATION_TRUSTS = (range(0, 7), range(6, 13))
STAFF_PER_TRUST = 40
ADMINS_PER_COLLABORATION = 2
OPEN_COMMITMENTS_PER_PROJECT = 250
COMMITTED_PER_PROJECT = 6  # of the 7 trusts of the collaboration; the 7th did not join
OPEN_DUE_DAYS = (-60, 300)
CLOSED_DUE_DAYS = (-240, -61)
CLOSED_SHARE = 0.25
COMPLETED_PROJECT_SHARE = 0.1
SENT_SHARE = 0.9
OWNERLESS_SHARE = 0.1
READ_SHARE = 0.6
DIGEST_SHARE = 0.2
# Open commitments by status (not started, in progress, blocked): all three are reminded.
OPEN_STATUS_WEIGHTS = {"not_started": 45, "in_progress": 40, "blocked": 15}

M = TypeVar("M")


# --- Set-up: settings, database, broker --------------------------------------------------------


def setup_django() -> None:
    # Set before django.setup(): collab.settings.test reads both when it is imported. Forced,
    # so a developer's own DATABASE_URL can never point the benchmark at their data.
    os.environ["DJANGO_SETTINGS_MODULE"] = "collab.settings.test"
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{DB_NAME}"
    os.environ["REDIS_URL"] = REDIS_URL
    import django

    django.setup()
    from collab.celery import app

    # Production publishes every task to Redis; the test settings would run them in-process.
    app.conf.task_always_eager = False
    # With the CELERY_ namespace Celery reads the prefixed key first, so the line above alone
    # changes nothing while CELERY_TASK_ALWAYS_EAGER = True comes from the settings module.
    app.conf.CELERY_TASK_ALWAYS_EAGER = False
    if app.conf.task_always_eager:
        sys.exit("Could not switch Celery's eager mode off: tasks would run in-process.")


def admin_connection() -> psycopg.Connection:
    return psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5)


def build_marker(n: int, today: datetime.date) -> dict[str, Any]:
    return {"version": DATA_VERSION, "seed": SEED, "n": n, "built_on": today.isoformat()}


def stored_marker() -> dict[str, Any] | None:
    """What the last complete build wrote on the database (None: missing or never finished)."""
    with admin_connection() as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [DB_NAME],
        ).fetchone()
    if row is None or not row[0]:
        return None
    try:
        return json.loads(row[0])
    except json.JSONDecodeError:
        return None


def recreate_database() -> None:
    name = sql.Identifier(DB_NAME)
    with admin_connection() as conn:
        # FORCE: a benchmark interrupted earlier may have left a connection open.
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def write_marker(marker: dict[str, Any]) -> None:
    # Written only after a complete build, so an interrupted build is never reused by --keep.
    statement = sql.SQL("COMMENT ON DATABASE {} IS {}").format(
        sql.Identifier(DB_NAME), sql.Literal(json.dumps(marker))
    )
    with admin_connection() as conn:
        conn.execute(statement)


def redis_client() -> redis.Redis:
    return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)


def queue_length() -> int:
    return int(redis_client().llen(QUEUE))


def purge_queue() -> None:
    from collab.celery import app

    app.control.purge()


# --- Building the data ------------------------------------------------------------------------


def chunks(items: Iterable[M], size: int) -> Iterator[list[M]]:
    chunk: list[M] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def insert(model: type[M], objects: Iterable[M]) -> list[M]:
    """bulk_create in batches; PostgreSQL returns the new primary keys."""
    created: list[M] = []
    for chunk in chunks(objects, BATCH):
        created += model.objects.bulk_create(chunk)  # type: ignore[attr-defined]
    return created


def at_half_six(day: datetime.date) -> datetime.datetime:
    """When the daily sweep runs (06:30 UK time): the time reminders were written."""
    from django.utils import timezone

    return datetime.datetime.combine(
        day, datetime.time(6, 30), tzinfo=timezone.get_current_timezone()
    )


@dataclass
class World:
    """The ids the later steps need, kept small: no model instances of the big tables."""

    today: datetime.date
    rng: random.Random
    trust_ids: list[int] = field(default_factory=list)
    trust_names: dict[int, tuple[str, str]] = field(default_factory=dict)  # (short, full)
    collaboration_ids: list[int] = field(default_factory=list)
    collaboration_trusts: dict[int, list[int]] = field(default_factory=dict)
    staff: dict[int, list[int]] = field(default_factory=dict)  # trust id -> user ids
    lead: dict[int, int] = field(default_factory=dict)  # trust id -> user id
    admins: dict[int, list[int]] = field(default_factory=dict)  # collaboration id -> user ids
    project_titles: dict[int, str] = field(default_factory=dict)
    project_collaboration: dict[int, int] = field(default_factory=dict)
    committed: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # (part., trust)
    participation_trust: dict[int, int] = field(default_factory=dict)
    participation_project: dict[int, int] = field(default_factory=dict)


def build_trusts_and_collaborations(world: World) -> None:
    from collab.models import Collaboration, CollaborationMembership, Nation, Trust

    trusts = insert(
        Trust,
        (
            Trust(
                name=f"Bench Ambulance Service {i} NHS Trust",
                short_name=f"BAS{i}",
                slug=f"bas{i}",
                ods_code=f"B{i:03d}",
                nation=Nation.ENGLAND,
                region="Bench",
            )
            for i in range(TRUSTS)
        ),
    )
    world.trust_ids = [trust.pk for trust in trusts]
    world.trust_names = {trust.pk: (trust.short_name, trust.name) for trust in trusts}
    collaborations = insert(
        Collaboration,
        (
            Collaboration(name=f"Bench Collaboration {i}", short_name=f"BC{i}", slug=f"bc{i}")
            for i in range(len(COLLABORATION_TRUSTS))
        ),
    )
    for collaboration, members in zip(collaborations, COLLABORATION_TRUSTS, strict=True):
        world.collaboration_ids.append(collaboration.pk)
        world.collaboration_trusts[collaboration.pk] = [world.trust_ids[i] for i in members]
    insert(
        CollaborationMembership,
        (
            CollaborationMembership(
                collaboration_id=collaboration_id,
                trust_id=trust_id,
                joined_on=datetime.date(2024, 1, 15),
            )
            for collaboration_id, trust_ids in world.collaboration_trusts.items()
            for trust_id in trust_ids
        ),
    )


def build_people(world: World) -> None:
    from django.contrib.auth.hashers import make_password

    from collab.models import Role, RoleAssignment, User

    password = make_password(None)  # unusable: nobody signs in to the benchmark
    people: list[tuple[User, RoleAssignment]] = []
    for trust_id in world.trust_ids:
        short = world.trust_names[trust_id][0].lower()
        for j in range(STAFF_PER_TRUST + 1):
            role = Role.TRUST_LEAD if j == STAFF_PER_TRUST else Role.STAFF
            email = f"{role}.{j}.{short}@bench.example.org"
            user = User(email=email, full_name=f"{short} person {j}", home_trust_id=trust_id)
            people.append((user, RoleAssignment(role=role, trust_id=trust_id)))
    for collaboration_id in world.collaboration_ids:
        for j in range(ADMINS_PER_COLLABORATION):
            email = f"admin.{j}.bc{collaboration_id}@bench.example.org"
            user = User(email=email, full_name=f"Admin {j} of BC{collaboration_id}")
            assignment = RoleAssignment(
                role=Role.PROGRAMME_ADMIN, collaboration_id=collaboration_id
            )
            people.append((user, assignment))
    for user, _ in people:
        user.password = password
    insert(User, [user for user, _ in people])
    for user, assignment in people:
        assignment.user_id = user.pk
        if assignment.role == Role.TRUST_LEAD:
            world.lead[assignment.trust_id] = user.pk
        elif assignment.role == Role.STAFF:
            world.staff.setdefault(assignment.trust_id, []).append(user.pk)
        else:
            world.admins.setdefault(assignment.collaboration_id, []).append(user.pk)
    insert(RoleAssignment, [assignment for _, assignment in people])
    build_preferences(world, [user.pk for user, _ in people])


def build_preferences(world: World, user_ids: list[int]) -> None:
    # Some people chose a daily digest: their new reminders wait for it instead of being queued.
    from collab.models import EmailFrequency, NotificationCategory, NotificationPreference

    chosen = [pk for pk in user_ids if world.rng.random() < DIGEST_SHARE]
    insert(
        NotificationPreference,
        (
            NotificationPreference(
                person_id=pk,
                category=NotificationCategory.COMMITMENTS,
                frequency=EmailFrequency.DAILY,
            )
            for pk in chosen
        ),
    )


def project_for(world: World, i: int, active: bool) -> Any:
    from projects.models import Category, FundingModel, JointProject, ProjectStatus

    today = world.today
    collaboration_id = world.collaboration_ids[i % len(world.collaboration_ids)]
    start = today - datetime.timedelta(days=120 if active else 700)
    end = today + datetime.timedelta(days=330) if active else today - datetime.timedelta(days=250)
    category = Category.values[i % len(Category.values)]
    return JointProject(
        slug=f"bench-project-{i}",
        collaboration_id=collaboration_id,
        title=f"Bench joint project {i} ({category.replace('_', ' ')})",
        summary="A joint improvement project generated for the reminder sweep benchmark.",
        category=category,
        lead_trust_id=world.collaboration_trusts[collaboration_id][0],
        status=ProjectStatus.ACTIVE if active else ProjectStatus.COMPLETED,
        terms="Each trust that joins names an owner for each milestone and delivers on time.",
        funding_model=FundingModel.EQUAL_SPLIT,
        total_budget=Decimal("250000.00"),
        staff_days_per_trust=10,
        decision_deadline=start - datetime.timedelta(days=1),
        planned_start=start,
        planned_end=end,
        created_by_id=world.admins[collaboration_id][0],
        opened_at=at_half_six(start - datetime.timedelta(days=30)),
        started_at=at_half_six(start),
        finished_at=None if active else at_half_six(end),
    )


def build_projects(world: World, n: int) -> tuple[list[int], list[int]]:
    """Active and completed projects with their participations; returns both lists of ids."""
    from projects.models import JointProject

    active_count = max(2, math.ceil(n / OPEN_COMMITMENTS_PER_PROJECT))
    completed_count = max(1, round(active_count * COMPLETED_PROJECT_SHARE))
    projects = insert(
        JointProject,
        [project_for(world, i, i < active_count) for i in range(active_count + completed_count)],
    )
    for project in projects:
        world.project_titles[project.pk] = project.title
        world.project_collaboration[project.pk] = project.collaboration_id
    build_participations(world, projects)
    ids = [project.pk for project in projects]
    return ids[:active_count], ids[active_count:]


def build_participations(world: World, projects: list[Any]) -> None:
    from projects.models import Participation, ParticipationStatus, ProjectStatus

    rows: list[Any] = []
    for i, project in enumerate(projects):
        trust_ids = world.collaboration_trusts[project.collaboration_id]
        # In active projects one trust (a different one each time) did not join.
        left_out = i % len(trust_ids) if project.status == ProjectStatus.ACTIVE else None
        for k, trust_id in enumerate(trust_ids):
            status = (
                ParticipationStatus.NOT_JOINED if k == left_out else ParticipationStatus.COMMITTED
            )
            rows.append(
                Participation(
                    project_id=project.pk,
                    trust_id=trust_id,
                    status=status,
                    decided_by_id=world.lead[trust_id],
                    decided_at=project.opened_at,
                    contact_id=world.lead[trust_id],
                    committed_at=project.started_at if k != left_out else None,
                )
            )
    for participation in insert(Participation, rows):
        world.participation_trust[participation.pk] = participation.trust_id
        world.participation_project[participation.pk] = participation.project_id
        if participation.status == ParticipationStatus.COMMITTED:
            world.committed.setdefault(participation.project_id, []).append(
                (participation.pk, participation.trust_id)
            )


@dataclass(frozen=True)
class MilestoneRow:
    pk: int
    project_id: int
    title: str
    deliverable: str
    due_on: datetime.date
    is_open: bool


def milestone_rows(world: World, plan: list[tuple[int, int, bool]]) -> list[MilestoneRow]:
    """Insert milestones from (project id, days from today, open?) and return them compactly."""
    from projects.models import Milestone

    objects = [
        Milestone(
            project_id=project_id,
            title=f"Milestone {i}: {('Pilot', 'Rollout', 'Training', 'Evaluation')[i % 4]}",
            deliverable=(
                "Each trust delivers its part of this milestone: a named lead, the local "
                "plan signed off by the executive team, and evidence that staff were briefed."
            ),
            due_on=world.today + datetime.timedelta(days=days),
        )
        for i, (project_id, days, _) in enumerate(plan)
    ]
    insert(Milestone, objects)
    return [
        MilestoneRow(m.pk, m.project_id, m.title, m.deliverable, m.due_on, is_open)
        for m, (_, _, is_open) in zip(objects, plan, strict=True)
    ]


def plan_milestones(
    world: World, n: int, active: list[int], completed: list[int]
) -> list[tuple[int, int, bool]]:
    """(project id, days from today, open?) for every milestone: open ones first."""
    rng = world.rng
    plan: list[tuple[int, int, bool]] = []
    for k in range(math.ceil(n / COMMITTED_PER_PROJECT)):
        plan.append((active[k % len(active)], rng.randint(*OPEN_DUE_DAYS), True))
    for k in range(math.ceil(n * CLOSED_SHARE / COMMITTED_PER_PROJECT)):
        plan.append((active[k % len(active)], rng.randint(*CLOSED_DUE_DAYS), False))
    per_completed = OPEN_COMMITMENTS_PER_PROJECT // COMMITTED_PER_PROJECT
    for project_id in completed:
        plan += [(project_id, rng.randint(-600, -260), False) for _ in range(per_completed)]
    return plan


def commitments_for(world: World, milestones: list[MilestoneRow], n: int) -> Iterator[Any]:
    """Unsaved commitments: exactly n open ones, then the accepted history."""
    from projects.models import Commitment, CommitmentStatus

    rng, open_left = world.rng, n
    open_statuses = list(OPEN_STATUS_WEIGHTS)
    for milestone in milestones:
        for participation_id, trust_id in world.committed[milestone.project_id]:
            if milestone.is_open and open_left == 0:
                break
            open_left -= milestone.is_open
            owner = None if rng.random() < OWNERLESS_SHARE else rng.choice(world.staff[trust_id])
            admin = world.admins[world.project_collaboration[milestone.project_id]][0]
            accepted_at = None if milestone.is_open else at_half_six(milestone.due_on)
            yield Commitment(
                participation_id=participation_id,
                milestone_id=milestone.pk,
                deliverable=milestone.deliverable,
                due_on=milestone.due_on,
                owner_id=owner,
                status=(
                    rng.choices(open_statuses, weights=OPEN_STATUS_WEIGHTS.values())[0]
                    if milestone.is_open
                    else CommitmentStatus.ACCEPTED
                ),
                accepted_by_id=None if milestone.is_open else admin,
                accepted_at=accepted_at,
            )


@functools.lru_cache(maxsize=4096)
def rungs_sent(
    due_on: datetime.date, yesterday: datetime.date
) -> tuple[tuple[str, datetime.date], ...]:
    """Each rung the commitment stood on up to yesterday, with the day it was first on it."""
    from projects.reminders import FIRST_REMINDER_DAYS, commitment_step

    sent: dict[str, datetime.date] = {}
    day = due_on - datetime.timedelta(days=FIRST_REMINDER_DAYS)
    while day <= yesterday:
        step = commitment_step(due_on, day)
        if step is not None:
            sent.setdefault(step, day)
        day += datetime.timedelta(days=1)
    return tuple(sent.items())


def history_for(world: World, commitment: Any, milestone_title: str) -> Iterator[Any]:
    """The notifications earlier daily sweeps wrote for one open commitment."""
    from projects import notifications as events
    from projects.reminders import ESCALATION_DAYS_OVERDUE, ESCALATION_STEP

    yesterday = world.today - datetime.timedelta(days=1)
    trust_id = world.participation_trust[commitment.participation_id]
    project_id = world.participation_project[commitment.participation_id]
    short, name = world.trust_names[trust_id]
    about = {
        "target_id": commitment.pk,
        "url": commitment_url(commitment.public_id),
        "group_label": world.project_titles[project_id],
        "body": f"{commitment.deliverable} Due on {commitment.due_on:%d %B %Y}.",
    }
    people = [(pk, f"You own this commitment for {name}.") for pk in [commitment.owner_id] if pk]
    people.append((world.lead[trust_id], f"You lead {name}, which committed to this milestone."))
    for step, day in rungs_sent(commitment.due_on, yesterday):
        soon = step.startswith("due")
        event = events.commitment_due_soon if soon else events.commitment_overdue
        title = f"{'Due soon' if soon else 'Overdue'}: {milestone_title} ({short})"
        for person_id, reason in people:
            yield notification(world, event, step, day, person_id, reason, title, about)
    escalated_on = commitment.due_on + datetime.timedelta(days=ESCALATION_DAYS_OVERDUE)
    if escalated_on <= yesterday:
        title = f"Escalated: {short} is 14 days late on {milestone_title}"
        reason = "You are a programme admin of the collaboration that runs this project."
        for admin_id in world.admins[world.project_collaboration[project_id]]:
            yield notification(
                world,
                events.commitment_escalated,
                ESCALATION_STEP,
                escalated_on,
                admin_id,
                reason,
                title,
                about,
            )


def notification(
    world: World,
    event: Any,
    step: str,
    day: datetime.date,
    person_id: int,
    reason: str,
    title: str,
    about: dict[str, Any],
) -> Any:
    from collab.models import Notification

    sent_at = at_half_six(day)
    read = world.rng.random() < READ_SHARE
    return Notification(
        recipient_id=person_id,
        kind=event.key,
        category=event.category,
        target_type=commitment_type(),
        step=step,
        title=title,
        reason=reason,
        created_at=sent_at,
        read_at=sent_at + datetime.timedelta(hours=3) if read else None,
        **about,
    )


def commitment_url(public_id: uuid.UUID) -> str:
    # One reverse() for the whole build: the same address get_absolute_url() gives.
    return url_template().replace(str(uuid.UUID(int=0)), str(public_id))


@functools.cache
def url_template() -> str:
    from django.urls import reverse

    return reverse("projects:commitment", kwargs={"commitment_id": uuid.UUID(int=0)})


@functools.cache
def commitment_type() -> Any:
    from django.contrib.contenttypes.models import ContentType

    from projects.models import Commitment

    return ContentType.objects.get_for_model(Commitment)


def insert_history(world: World, commitments: list[Any], titles: dict[int, str]) -> None:
    """Notifications (and their sent email deliveries) for the open commitments of a batch."""
    from collab.models import Channel, Delivery, DeliveryStatus, EmailFrequency, Notification

    remembered = (
        c for c in commitments if c.accepted_at is None and world.rng.random() < SENT_SHARE
    )
    rows = (n for c in remembered for n in history_for(world, c, titles[c.milestone_id]))
    for chunk in chunks(rows, BATCH):
        Notification.objects.bulk_create(chunk)
        Delivery.objects.bulk_create(
            Delivery(
                notification_id=note.pk,
                channel=Channel.EMAIL,
                frequency=EmailFrequency.IMMEDIATE,
                status=DeliveryStatus.SENT,
                attempts=1,
                next_attempt_at=note.created_at,
                sent_at=note.created_at,
                created_at=note.created_at,
            )
            for note in chunk
        )


def build(n: int, today: datetime.date) -> dict[str, Any]:
    from django.db import transaction

    from projects.models import Commitment

    world = World(today=today, rng=random.Random(SEED))  # noqa: S311 - data, not secrets
    started = time.perf_counter()
    with transaction.atomic():
        build_trusts_and_collaborations(world)
        build_people(world)
        active, completed = build_projects(world, n)
        milestones = milestone_rows(world, plan_milestones(world, n, active, completed))
        titles = {m.pk: m.title for m in milestones}
        written = 0
        for chunk in chunks(commitments_for(world, milestones, n), BATCH):
            Commitment.objects.bulk_create(chunk)
            insert_history(world, chunk, titles)
            written += len(chunk)
            if written % (BATCH * 5) == 0:
                progress(f"  {written:,} commitments written")
    return {"seconds": round(time.perf_counter() - started, 1)}


def progress(message: str) -> None:
    # On stderr: the report on stdout stays clean.
    print(message, file=sys.stderr, flush=True)


def row_counts() -> dict[str, int]:
    from collab.models import Delivery, Notification, User
    from projects.models import Commitment, JointProject, Milestone, Participation
    from projects.reminders import REMINDED_STATUSES

    return {
        "open_commitments": Commitment.objects.filter(status__in=REMINDED_STATUSES).count(),
        "commitments": Commitment.objects.count(),
        "projects": JointProject.objects.count(),
        "participations": Participation.objects.count(),
        "milestones": Milestone.objects.count(),
        "users": User.objects.count(),
        "notifications": Notification.objects.count(),
        "deliveries": Delivery.objects.count(),
    }


def prepare_data(n: int, today: datetime.date, keep: bool) -> dict[str, Any]:
    from django.core.management import call_command

    wanted = build_marker(n, today)
    if keep and stored_marker() == wanted:
        call_command("migrate", verbosity=0, interactive=False)  # a no-op unless code moved on
        return {"built": False, "build_seconds": None}
    reason = "--keep: the database holds other data" if keep else "fresh build"
    print(f"Building {DB_NAME} ({reason}) for N={n:,} on {today}...", file=sys.stderr)
    recreate_database()
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = round(time.perf_counter() - started, 1)
    built = build(n, today)
    write_marker(wanted)
    return {"built": True, "build_seconds": built["seconds"], "migrate_seconds": migrated}


def vacuum_analyze() -> None:
    # Fresh statistics and visibility map, as autovacuum would leave a production database.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


# --- Measuring --------------------------------------------------------------------------------


def summary(values: list[float], digits: int = 4) -> dict[str, Any]:
    return {
        "min": round(min(values), digits),
        "median": round(statistics.median(values), digits),
        "max": round(max(values), digits),
        "runs": [round(value, digits) for value in values],
    }


class QueryTimer:
    """Time spent inside cursor.execute (not COMMIT): the database's share of a call."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


@dataclass
class Call:
    seconds: float
    sql_seconds: float
    queries: list[dict[str, str]]  # as CaptureQueriesContext saw them (BEGIN/COMMIT included)
    result: Any


def timed(func: Callable[[], Any]) -> Call:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    timer = QueryTimer()
    # CaptureQueriesContext counts within a log capped at 9,000 entries; once the log is full
    # it would count 0, so every call starts from an empty log.
    reset_queries()
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
        started = time.perf_counter()
        result = func()
        seconds = time.perf_counter() - started
    return Call(seconds, timer.seconds, captured.captured_queries, result)


def call_figures(first: Call, calls: list[Call]) -> dict[str, Any]:
    return {
        "first_run_seconds": round(first.seconds, 4),
        "seconds": summary([c.seconds for c in calls]),
        "sql_seconds": summary([c.sql_seconds for c in calls]),
        "queries": max(len(c.queries) for c in calls),
    }


def measure_selection(today: datetime.date, runs: int) -> tuple[dict[str, Any], list[int], str]:
    from projects.reminders import commitments_due_a_reminder

    # Warm-up: the ContentType cache and the connection, as in a long-lived worker.
    first = timed(lambda: commitments_due_a_reminder(today))
    calls = [timed(lambda: commitments_due_a_reminder(today)) for _ in range(runs)]
    ids = calls[-1].result
    figures = {**call_figures(first, calls), "rows": len(ids)}
    return figures, ids, calls[-1].queries[-1]["sql"]


def measure_sweep(runs: int) -> dict[str, Any]:
    from projects.tasks import send_commitment_reminders

    def one_run() -> tuple[Call, int]:
        call = timed(send_commitment_reminders)
        queued = queue_length()  # what really reached Redis, not only what fan_out counted
        purge_queue()
        return call, queued

    purge_queue()
    first, _ = one_run()  # warm-up: opens the broker connection and the producer pool
    results = [one_run() for _ in range(runs)]
    return {
        **call_figures(first, [call for call, _ in results]),
        "tasks_returned": results[-1][0].result,
        "tasks_in_redis": results[-1][1],
    }


@dataclass
class ItemRun:
    calls: list[Call] = field(default_factory=list)
    notifications: int = 0
    deliveries: int = 0
    queued: int = 0

    def mean_ms(self, attribute: str) -> float:
        return statistics.mean(getattr(c, attribute) for c in self.calls) * 1000


def run_items(sample: list[int], today: datetime.date) -> ItemRun:
    """commitment_remind for each sampled id, then undo what they wrote."""
    from django.db.models import Max

    from collab.models import Delivery, Notification
    from projects.reminders import commitment_remind

    marker = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    run = ItemRun()
    for pk in sample:
        # No outer transaction: commitment_remind's own atomic block commits, as in a worker,
        # so the on-commit publish of the pending deliveries reaches Redis and is timed.
        run.calls.append(timed(lambda pk=pk: commitment_remind(commitment_id=pk, today=today)))
    run.notifications = Notification.objects.filter(pk__gt=marker).count()
    run.deliveries = Delivery.objects.filter(notification_id__gt=marker).count()
    run.queued = queue_length()
    # Undo: the next run must find the same rungs unsent and do the same work.
    Notification.objects.filter(pk__gt=marker).delete()
    purge_queue()
    return run


def measure_items(ids: list[int], today: datetime.date, runs: int, size: int) -> dict[str, Any]:
    sample = random.Random(SEED).sample(ids, min(size, len(ids)))  # noqa: S311 - not secret
    if not sample:
        return {"sample": 0}
    purge_queue()
    run_items(sample, today)  # warm-up
    results = [run_items(sample, today) for _ in range(runs)]
    every = [c.seconds * 1000 for r in results for c in r.calls]
    last, items = results[-1], len(sample)
    counts = [len(c.queries) for c in last.calls]
    statements = Counter(q["sql"].split(None, 1)[0].upper() for c in last.calls for q in c.queries)
    return {
        "sample": items,
        "mean_ms": summary([r.mean_ms("seconds") for r in results], 3),
        "sql_mean_ms": summary([r.mean_ms("sql_seconds") for r in results], 3),
        "item_ms": {
            "median": round(statistics.median(every), 3),
            "p95": round(statistics.quantiles(every, n=20)[-1], 3),
            "max": round(max(every), 3),
        },
        "queries_per_item": {
            "mean": round(statistics.mean(counts), 2),
            "min": min(counts),
            "max": max(counts),
            "distribution": dict(sorted(Counter(counts).items())),
            "by_statement": {k: round(v / items, 2) for k, v in statements.most_common()},
        },
        "per_item_written": {
            "notifications": round(last.notifications / items, 2),
            "deliveries": round(last.deliveries / items, 2),
            "tasks_in_redis": round(last.queued / items, 2),
        },
    }


def explain(query: str, jit: bool = True) -> dict[str, Any]:
    """EXPLAIN (ANALYZE, BUFFERS) of the query Django ran, so the plan is the sweep's own."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        if not jit:
            cursor.execute("SET LOCAL jit = off")
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query)
        plan = [row[0] for row in cursor.fetchall()]
    text = "\n".join(plan)
    timing = dict(re.findall(r"(Planning|Execution) Time: ([\d.]+) ms", text))
    jit_total = re.search(r"Timing: .*Total ([\d.]+) ms", text)
    return {
        "execution_ms": float(timing.get("Execution", "nan")),
        "planning_ms": float(timing.get("Planning", "nan")),
        # PostgreSQL compiles the query when this estimate passes jit_above_cost (100,000 by
        # default) and inlines and optimises the code past 500,000: that can cost more than
        # the query itself.
        "estimated_cost": float(re.search(r"cost=[\d.]+\.\.([\d.]+)", text).group(1)),
        "jit_ms": float(jit_total.group(1)) if jit_total else 0.0,
        "jit_options": next((line.strip() for line in plan if "Options:" in line), None),
        "indexes_used": sorted(set(re.findall(r"Index (?:Only )?Scan (?:using|on) (\S+)", text))),
        "sequential_scans": sorted(set(re.findall(r"Seq Scan on (\S+)", text))),
        "plan": plan,
        "query": query,
    }


def brief(plan: dict[str, Any]) -> dict[str, Any]:
    keys = ("execution_ms", "planning_ms", "estimated_cost", "jit_ms", "jit_options")
    return {key: plan[key] for key in keys}


# --- Reporting --------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    import celery
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        postgres = cursor.fetchone()[0]
    return {
        "nproc": len(os.sched_getaffinity(0)),
        # Other work on the machine shows up in the spread between min and median.
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "cpu": proc_field("/proc/cpuinfo", "model name"),
        "memory": proc_field("/proc/meminfo", "MemTotal"),
        "postgresql": postgres,
        "redis": redis_client().info("server").get("redis_version"),
        "python": platform.python_version(),
        "django": django.get_version(),
        "celery": celery.__version__,
    }


def proc_field(path: str, name: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(name):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def print_report(report: dict[str, Any]) -> None:
    data, box = report["data"], report["machine"]
    build = (
        f"built in {data['build_seconds']} s (+ migrate {data['migrate_seconds']} s)"
        if data["built"]
        else "reused (--keep)"
    )
    print(f"\nReminder sweep benchmark, {report['date']} (today = {report['today']})")
    print(f"N = {report['n']:,} open commitments; data {build}")
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in data["rows"].items()))
    print(
        f"machine: {box['nproc']} CPU ({box['cpu']}), {box['memory']}, "
        f"load average {box['load_average']}"
    )
    print(f"         {box['postgresql'].split(' on ')[0]}, Redis {box['redis']}")
    print_table(report)
    print_items(report["per_item"])
    print_plan(report["explain"])


def print_table(report: dict[str, Any]) -> None:
    a, b, c = (report[k] for k in ("selection_query", "sweep", "per_item"))
    print(f"\n{report['runs']} timed runs after one warm-up; min / median (SQL = inside execute)")
    print(f"{'':46}{'min':>9}{'median':>9}{'SQL med.':>10}{'queries':>9}  result")
    rows = [
        ("a) commitments_due_a_reminder(today)", a, f"{a['rows']:,} selected"),
        ("b) send_commitment_reminders() incl. fan-out", b, f"{b['tasks_in_redis']:,} in Redis"),
    ]
    for label, figures, result in rows:
        print(
            f"{label:<46}{figures['seconds']['min']:>8.3f}s{figures['seconds']['median']:>8.3f}s"
            f"{figures['sql_seconds']['median']:>9.3f}s{figures['queries']:>9}  {result}"
        )
    if c.get("sample"):
        print(
            f"{'c) commitment_remind, mean per item':<46}{c['mean_ms']['min']:>7.2f}ms"
            f"{c['mean_ms']['median']:>7.2f}ms{c['sql_mean_ms']['median']:>8.2f}ms"
            f"{c['queries_per_item']['mean']:>9}  {c['sample']} sampled"
        )


def print_items(c: dict[str, Any]) -> None:
    if not c.get("sample"):
        print("c) nothing selected: no per-item figures")
        return
    q = c["queries_per_item"]
    print(
        f"   per item: median {c['item_ms']['median']} ms, p95 {c['item_ms']['p95']} ms, "
        f"max {c['item_ms']['max']} ms; queries {q['min']}-{q['max']} (count: items) "
        f"{q['distribution']}"
    )
    print(f"   statements per item {q['by_statement']}")
    print(f"   written per item {c['per_item_written']}")


def print_plan(d: dict[str, Any], lines: int = 25) -> None:
    print(
        f"d) EXPLAIN ANALYZE: execution {d['execution_ms']} ms (JIT {d['jit_ms']} ms of it), "
        f"planning {d['planning_ms']} ms, estimated cost {d['estimated_cost']:,.0f}"
    )
    print(
        f"   indexes {', '.join(d['indexes_used']) or 'none'};"
        f" seq scans {', '.join(d['sequential_scans']) or 'none'}"
    )
    for label, other in (
        ("with jit = off", d["jit_off"]),
        ("after c)'s writes", d["after_writes"]),
    ):
        print(
            f"   {label}: execution {other['execution_ms']} ms (JIT {other['jit_ms']} ms), "
            f"estimated cost {other['estimated_cost']:,.0f}"
        )
    for line in d["plan"][:lines]:
        print(f"   {line}")
    if len(d["plan"]) > lines:
        print(f"   ... ({len(d['plan']) - lines} more lines in the JSON)")


def write_report(report: dict[str, Any], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"\nWritten to {output}")


# --- Entry point ------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.reminder_sweep", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--commitments", type=int, default=100_000, help="open commitments (N)")
    parser.add_argument("--keep", action="store_true", help="reuse today's data for this N")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement")
    parser.add_argument("--sample", type=int, default=500, help="commitments for c)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    if args.commitments < 1 or args.runs < 1 or args.sample < 0:
        parser.error("--commitments and --runs must be at least 1, --sample at least 0")
    return args


def check_services() -> None:
    try:
        admin_connection().close()
        redis_client().ping()
    except (psycopg.OperationalError, redis.exceptions.ConnectionError) as error:
        sys.exit(f"PostgreSQL or Redis is not answering ({error}); try `make services`.")


def measure(n: int, runs: int, sample: int, data: dict[str, Any]) -> dict[str, Any]:
    from django.utils import timezone

    today = timezone.localdate()
    vacuum_analyze()
    selection, ids, query = measure_selection(today, runs)
    # Explained before c) writes and deletes rows, so the plan sees the vacuumed tables.
    plan = {**explain(query), "jit_off": brief(explain(query, jit=False))}
    report = {
        "benchmark": "reminder_sweep",
        "date": timezone.now().isoformat(timespec="seconds"),
        "today": today.isoformat(),
        "n": n,
        "runs": runs,
        "machine": machine(),
        "data": {**data, "rows": row_counts()},
        "selection_query": selection,
        "sweep": measure_sweep(runs),
        "per_item": measure_items(ids, today, runs, sample),
        "explain": plan,
    }
    # Again after c) left inserted and deleted notifications behind, as a day of production
    # would before autovacuum: the planner's estimate moves, and with it the JIT decision.
    report["explain"]["after_writes"] = brief(explain(query))
    return report


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    check_services()
    setup_django()
    from django.utils import timezone

    purge_queue()
    try:
        data = prepare_data(args.commitments, timezone.localdate(), args.keep)
        report = measure(args.commitments, args.runs, args.sample, data)
    finally:
        purge_queue()
    print_report(report)
    write_report(report, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
