"""Benchmark: the portal under a national load, measured against the framework's own ceiling.

    make bench                      # scale 1: 50,000 people, 1,000,000 votes...
    make bench SCALE=0.05           # the same shape at 5%, in under two minutes
    .venv/bin/python -m bench.national --scale 0.05 [--keep] [--duration S] [--workers N]

What it does, in order (the README's "Benchmark" section says the same for people):
 1. builds the national dataset (bench/national_data.py) into its own PostgreSQL database,
    `ambulance_portal_bench_national`, dropped and created each run (--keep reuses it when it
    holds data of this scale, built today by this version of the generator), and records how
    long that took;
 2. serves the portal with gunicorn on 127.0.0.1, under the production settings
    (collab.settings.bench: production plus the ceiling view and a header counting each
    request's SQL queries), with a SECRET_KEY made for this run, Redis database 9 as broker and
    cache, whitenoise serving the collected static files, and MFA required as in production;
 3. signs in 20 simulated people (staff, trust leads and programme admins of several trusts
    and collaborations) through the real sign-in page, the leads and admins with their
    authenticator app's code, opens each of their project and idea pages once (first visits,
    timed), and drives HTTP load with locust (headless, its own process) at
    a concurrency of 20, one page at a time for the same duration: the ceiling (a constant
    response through the same middleware), the dashboard, the project list, a project's page,
    the commitment tracker, the idea list sorted by votes, an idea's page, casting (and taking
    back) a vote, and posting a comment;
 4. times the commitment reminder sweep over all open commitments, in-process, as the beat task
    runs it (tasks go to Redis database 9 and are purged; no worker runs);
 5. prints a table and writes bench/results/national-scale<SCALE>.json: for each page requests
    per second, p50/p95/p99 latency, errors, SQL queries per request (from the header) and the
    throughput as a fraction of the ceiling's, each checked against the issue's goals.

Only what it creates is touched: the database above, Redis database 9 (flushed at the start)
and a gunicorn and locust process it starts and stops itself.
"""

import argparse
import datetime
import hashlib
import itertools
import json
import math
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
import redis
import requests
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DB_NAME = "ambulance_portal_bench_national"
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/9"
RESULTS = ROOT / "bench" / "results"
USERS = 20

# The goals of issue 7, for every page at scale 1.
P95_GOAL_MS = 150
CEILING_SHARE_GOAL = 1 / 3

# (key, label): the order they run in. The ceiling runs first and last, so a machine that
# slowed down during the run shows as two different ceilings.
PAGES = (
    ("ceiling", "Ceiling: constant response, same middleware"),
    ("dashboard", "Dashboard"),
    ("project_list", "Project list"),
    ("project_page", "Project page"),
    ("tracker", "Commitment tracker (collaboration)"),
    ("idea_list", "Idea list, most votes"),
    ("idea_page", "Idea page"),
    ("vote", "Vote and take back (POST, htmx)"),
    ("comment", "Comment (POST)"),
)
# What a persona must have to request a page, where not every persona can: the tracker is for
# programme admins; a trust in no collaboration with joint projects (a Welsh trust's staff,
# say) has no project page to open.
PAGE_NEEDS = {
    "project_page": "projects",
    "tracker": "tracker",
    "idea_page": "ideas",
    "vote": "vote_ideas",
    "comment": "comment_ideas",
}


BEGAN = time.perf_counter()


def progress(message: str) -> None:
    print(f"[{time.perf_counter() - BEGAN:6.1f} s] {message}", file=sys.stderr, flush=True)


# --- Environment, database, static files ------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_environment(port: int) -> dict[str, str]:
    """The production settings' variables, for this run only."""
    return {
        "DJANGO_SETTINGS_MODULE": "collab.settings.bench",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"https://127.0.0.1:{port}",
        "DATABASE_URL": f"{PG_SERVER}/{DB_NAME}",
        "REDIS_URL": REDIS_URL,
        "EMAIL_URL": "memorymail://",
        "LOG_LEVEL": "WARNING",
    }


def check_services() -> None:
    try:
        psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=5).close()
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except (psycopg.OperationalError, redis.exceptions.ConnectionError) as error:
        sys.exit(f"PostgreSQL or Redis is not answering ({error}); try `make services`.")


def admin_connection() -> psycopg.Connection:
    return psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5)


def build_marker(scale: float, today: datetime.date) -> dict[str, Any]:
    from bench.national_data import DATA_VERSION

    migrations = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("*/migrations/0*.py"))
    return {
        "data_version": DATA_VERSION,
        "scale": scale,
        "built_on": today.isoformat(),
        "migrations": hashlib.sha256("\n".join(migrations).encode()).hexdigest()[:16],
    }


def stored_marker() -> dict[str, Any] | None:
    with admin_connection() as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [DB_NAME],
        ).fetchone()
    try:
        return json.loads(row[0]) if row and row[0] else None
    except json.JSONDecodeError:
        return None


def prepare_database(scale: float, keep: bool) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench.national_data import build
    from collab.page_cache import new_generations

    # Every run starts with nothing cached: the data is written in bulk, past the audited
    # services that make cached parts of pages stale, and a kept one may be another run's.
    new_generations()
    today = timezone.localdate()
    wanted = build_marker(scale, today)
    if keep and stored_marker() == wanted:
        progress(f"Reusing {DB_NAME} (--keep: scale {scale:g}, built today).")
        return {"built": False}
    progress(f"Building {DB_NAME} at scale {scale:g}...")
    with admin_connection() as conn:
        name = sql.Identifier(DB_NAME)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = round(time.perf_counter() - started, 1)
    built = build(connection, scale, today, timezone.now())
    connection.close()
    with admin_connection() as conn:
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(DB_NAME), sql.Literal(json.dumps(wanted))
            )
        )
    progress(
        f"  migrated in {migrated} s; data built in {built['seconds']['total']} s "
        f"({', '.join(f'{k} {v} s' for k, v in built['seconds'].items() if k != 'total')})"
    )
    return {"built": True, "migrate_seconds": migrated, **built}


def collect_static() -> str:
    """collectstatic into STATIC_ROOT (production's, gitignored) unless nothing changed since
    the last run: hashing and compressing ~9,000 files takes a minute on this machine."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders
    from django.core.management import call_command

    listing = hashlib.sha256()
    for finder in get_finders():
        for path, storage in finder.list([]):
            stat = os.stat(storage.path(path))
            listing.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    fingerprint = listing.hexdigest()
    root = Path(settings.STATIC_ROOT)
    stamp = root / ".bench-sources"
    if (root / "staticfiles.json").exists() and stamp.exists() and stamp.read_text() == fingerprint:
        return "unchanged since the last run (skipped)"
    progress("Collecting static files (once; later runs skip this while nothing changes)...")
    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(fingerprint)
    return f"collected in {time.perf_counter() - started:.0f} s"


# --- The simulated people ---------------------------------------------------------------------


def plan_personas(port: int) -> dict[str, Any]:
    """Who signs in, and what each of them can see: their projects, ideas and tracker."""
    from django.db.models import Exists, OuterRef

    from bench.national_data import BENCH_PASSWORD, CAMPAIGNS, persona_emails, totp_secret
    from collab.models import User
    from projects.models import ProjectStatus
    from projects.selectors import projects_visible_to
    from wellbeing.models import OPEN_STATUSES, Vote
    from wellbeing.selectors import campaigns_visible_to, ideas_visible_to

    campaign = CAMPAIGNS[0][0]  # the national #ProjectA campaign: the biggest list
    personas = []
    for role, emails in persona_emails().items():
        for email in emails:
            user = User.objects.get(email=email)
            projects = list(
                projects_visible_to(user)
                .exclude(status=ProjectStatus.DRAFT)
                .order_by("status", "pk")
                .values_list("slug", "status")
            )
            # Mostly active projects (the richest pages), some open and finished ones.
            active = [slug for slug, status in projects if status == ProjectStatus.ACTIVE]
            others = [slug for slug, status in projects if status != ProjectStatus.ACTIVE]
            visible_ideas = ideas_visible_to(user).exclude(status="draft")
            open_ideas = visible_ideas.filter(
                status__in=OPEN_STATUSES,
                campaign__in=[
                    c.pk for c in campaigns_visible_to(user) if c.accepts_votes_and_comments()
                ],
            )
            # The most voted (and discussed) ideas, some that became projects (their page
            # shows the project's progress: the most queries), and any others.
            top = list(visible_ideas.order_by("-vote_count", "-pk").values_list("public_id")[:10])
            promoted = list(
                visible_ideas.filter(project__isnull=False)
                .order_by("pk")
                .values_list("public_id")[:5]
            )
            some = list(visible_ideas.order_by("?").values_list("public_id")[:35])
            not_voted = ~Exists(Vote.objects.filter(idea=OuterRef("pk"), person=user))
            vote_ideas = list(
                open_ideas.filter(not_voted).order_by("?").values_list("public_id")[:40]
            )
            comment_ideas = list(open_ideas.order_by("?").values_list("public_id")[:40])
            administered = [
                a.collaboration.slug
                for a in user.role_assignments_cached
                if a.role == "programme_admin"
            ]
            personas.append(
                {
                    "email": email,
                    "role": role,
                    "password": BENCH_PASSWORD,
                    "totp_secret": totp_secret(user.pk) if role != "staff" else None,
                    "projects": active[:24] + others[:6] if projects else [],
                    "ideas": [str(i) for (i,) in top + promoted + some],
                    "vote_ideas": [str(i) for (i,) in vote_ideas],
                    "comment_ideas": [str(i) for (i,) in comment_ideas],
                    "tracker": administered[0] if administered else None,
                }
            )
    return {
        "origin": f"https://127.0.0.1:{port}",
        "campaign": campaign,
        "personas": personas,
        "requesters": page_requesters(personas),
    }


def page_requesters(personas: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Who requests each page (their emails): everyone, except where a page needs something
    a persona lacks (PAGE_NEEDS). The load and the page-cost profile both take them from here."""
    return {
        page: [p["email"] for p in personas if page not in PAGE_NEEDS or p[PAGE_NEEDS[page]]]
        for page, _label in PAGES
    }


class SignIn:
    """One person signing in through the real pages, as a browser behind the proxy would."""

    def __init__(self, port: int, persona: dict[str, Any]) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.origin = f"https://127.0.0.1:{port}"
        self.persona = persona
        self.cookies: dict[str, str] = {}

    def _headers(self, path: str) -> dict[str, str]:
        return {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Referer": f"{self.origin}{path}",
            "Origin": self.origin,
        }

    def _send(self, method: str, path: str, data: dict | None = None) -> requests.Response:
        response = requests.request(
            method,
            f"{self.base}{path}",
            data=data,
            headers=self._headers(path),
            allow_redirects=False,
            timeout=30,
        )
        # The cookies are Secure (production): kept here and sent as a header over plain HTTP.
        self.cookies.update(response.cookies.get_dict())
        return response

    def _form(self, path: str, fields: dict[str, str]) -> requests.Response:
        page = self._send("GET", path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status_code != 200 or token is None:
            raise RuntimeError(f"GET {path} answered {page.status_code} without a form")
        return self._send("POST", path, {"csrfmiddlewaretoken": token.group(1), **fields})

    def run(self) -> dict[str, str]:
        email = self.persona["email"]
        answer = self._form(
            "/accounts/login/", {"login": email, "password": self.persona["password"]}
        )
        location = answer.headers.get("Location", "")
        step = "password"
        if answer.status_code == 302 and "/2fa/authenticate" in location:
            step = "authenticator code"
            answer = self._form(location, {"code": totp_code(self.persona["totp_secret"])})
            location = answer.headers.get("Location", "")
        if answer.status_code != 302 or location != "/":
            errors = re.findall(r'class="nhsuk-error-message"[^>]*>(.*?)</', answer.text, re.S)
            raise RuntimeError(
                f"{email} could not sign in at the {step} step: {answer.status_code} to "
                f"{location!r} {errors}"
            )
        dashboard = self._send("GET", "/")
        if dashboard.status_code != 200:
            raise RuntimeError(f"{email} signed in; the dashboard answered {dashboard.status_code}")
        return {k: v for k, v in self.cookies.items() if k in ("sessionid", "csrftoken")}


def warm_up(port: int, plan: dict[str, Any], workers: int) -> None:
    """Every page once per persona, before anything is measured: each worker process imports
    the views and compiles the templates on its first requests."""
    headers = {"X-Forwarded-Proto": "https"}
    paths = []
    # Each page about twice per worker: personas of every role in turn, as many as that takes.
    by_role: dict[str, list] = {}
    for p in plan["personas"]:
        by_role.setdefault(p["role"], []).append(p)
    in_turn = [p for group in itertools.zip_longest(*by_role.values()) for p in group if p]
    for p in in_turn[: max(9, 2 * workers)]:
        cookie = "; ".join(f"{k}={v}" for k, v in p["cookies"].items())
        pages = ["/", "/projects/", f"/ideas/campaigns/{plan['campaign']}/?sort=votes"]
        pages += [f"/projects/{p['projects'][0]}/"] if p["projects"] else []
        pages += [f"/ideas/{p['ideas'][0]}/"] if p["ideas"] else []
        pages += [f"/collaborations/{p['tracker']}/tracker/"] if p["tracker"] else []
        paths += [(path, cookie) for path in pages]

    def get(item: tuple[str, str]) -> int:
        path, cookie = item
        return requests.get(
            f"http://127.0.0.1:{port}{path}",
            headers={**headers, "Cookie": cookie},
            allow_redirects=False,
            timeout=60,
        ).status_code

    with ThreadPoolExecutor(max_workers=workers) as pool:
        statuses = list(pool.map(get, paths))
    if any(status != 200 for status in statuses):
        wrong = [
            (path, status)
            for (path, _), status in zip(paths, statuses, strict=True)
            if status != 200
        ]
        raise RuntimeError(f"Pages did not answer 200 while warming up: {wrong[:5]}")


def first_visit_paths(persona: dict[str, Any]) -> list[tuple[str, str]]:
    """(page, path) of every page the load may send this persona to that is its own to cache:
    each of their projects' and ideas' pages (the lists and the dashboard are one each)."""
    return [("project_page", f"/projects/{slug}/") for slug in persona["projects"]] + [
        ("idea_page", f"/ideas/{public_id}/") for public_id in persona["ideas"]
    ]


def first_visits(port: int, plan: dict[str, Any], workers: int) -> dict[str, Any]:
    """Every project and idea page a persona may open, once, before the load, timed.

    The load then measures what people reading the same pages meet: cached parts. Without this,
    a short run (6.5 s a page at scale 0.05) spends most of its idea-page requests on first
    visits to its ~1,000 ideas, and a long one only a few; the pages' figures would depend on
    the run's length rather than the page. What a first visit costs is reported from here."""
    jobs = []
    for persona in plan["personas"]:
        cookie = "; ".join(f"{k}={v}" for k, v in persona["cookies"].items())
        jobs += [(page, path, cookie) for page, path in first_visit_paths(persona)]

    def get(job: tuple[str, str, str]) -> tuple[str, float, int]:
        page, path, cookie = job
        began = time.perf_counter()
        answer = requests.get(
            f"http://127.0.0.1:{port}{path}",
            headers={"X-Forwarded-Proto": "https", "Cookie": cookie},
            allow_redirects=False,
            timeout=60,
        )
        return page, (time.perf_counter() - began) * 1000, answer.status_code

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        answers = list(pool.map(get, jobs))
    wrong = [(job[1], status) for job, (_, _, status) in zip(jobs, answers, strict=True)]
    wrong = [item for item in wrong if item[1] != 200]
    if wrong:
        raise RuntimeError(f"Pages did not answer 200 on a first visit: {wrong[:5]}")
    figures: dict[str, Any] = {"seconds": round(time.perf_counter() - began, 1), "pages": {}}
    for page in sorted({page for page, _, _ in answers}):
        times = sorted(ms for p, ms, _ in answers if p == page)
        figures["pages"][page] = {
            "requests": len(times),
            "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1),
        }
    return figures


def cold_queries(port: int, plan: dict[str, Any]) -> dict[str, int]:
    """The most SQL queries each page runs with nothing in the page cache: every area is
    renewed before each request, for each persona who requests the page (their first project,
    idea and so on). This is the bound compared between scales: the same code path whatever
    the data's size, where the load's own maximum depends on which cached parts happen to
    lapse (PART_SECONDS) in its window. A vote is cast and taken back; a comment is posted.

    Counted before the load, on the data as built: after it, a persona may have commented on
    their own first idea during the load's random comments, and their page of it then takes
    the path of a reader with comments of their own (one query more), in one run and not in
    the next."""
    from collab.page_cache import new_generations

    base, origin = f"http://127.0.0.1:{port}", f"https://127.0.0.1:{port}"
    most: dict[str, int] = {}
    for page, _label in PAGES:
        for persona in plan["personas"]:
            if persona["email"] not in plan["requesters"][page]:
                continue
            cookies = persona["cookies"]
            headers = {
                "X-Forwarded-Proto": "https",
                "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            }
            for method, path, data, extra in _cold_requests(page, persona, plan):
                new_generations()
                if data is not None:
                    data = {"csrfmiddlewaretoken": cookies["csrftoken"], **data}
                    extra = {**extra, "Referer": f"{origin}{path}", "Origin": origin}
                answer = requests.request(
                    method,
                    f"{base}{path}",
                    data=data,
                    headers={**headers, **extra},
                    allow_redirects=False,
                    timeout=30,
                )
                if answer.status_code not in (200, 302):
                    sys.exit(f"{method} {path} answered {answer.status_code} with a cold cache")
                queries = int(answer.headers["X-Bench-Queries"])
                most[page] = max(most.get(page, 0), queries)
    return most


def _cold_requests(page: str, persona: dict[str, Any], plan: dict[str, Any]) -> list[tuple]:
    """(method, path, form data or None, extra headers) of one turn of `page`, as the load's."""
    comment = {"body": "We tried this on our station and it helped. Could it work on nights?"}
    htmx = {"HX-Request": "true"}
    paths = {
        "ceiling": "/bench/ceiling/",
        "dashboard": "/",
        "project_list": "/projects/",
        "idea_list": f"/ideas/campaigns/{plan['campaign']}/?sort=votes",
    }
    if page in paths:
        return [("GET", paths[page], None, {})]
    if page == "project_page":
        return [("GET", f"/projects/{persona['projects'][0]}/", None, {})]
    if page == "tracker":
        return [("GET", f"/collaborations/{persona['tracker']}/tracker/", None, {})]
    if page == "idea_page":
        return [("GET", f"/ideas/{persona['ideas'][0]}/", None, {})]
    if page == "vote":
        path = f"/ideas/{persona['vote_ideas'][0]}/vote/"
        return [
            ("POST", path, {"action": "vote"}, htmx),
            ("POST", path, {"action": "unvote"}, htmx),
        ]
    if page == "comment":
        return [("POST", f"/ideas/{persona['comment_ideas'][0]}/comments/", comment, {})]
    raise ValueError(page)


def totp_code(secret: str) -> str:
    """The code the person's authenticator app shows now (not in a period's last seconds,
    which the server might already count as the next one)."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    if period - time.time() % period < 3:
        time.sleep(3)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


# --- Serving and loading ----------------------------------------------------------------------


def start_gunicorn(port: int, workers: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    command = [
        str(VENV_BIN / "gunicorn"),
        "collab.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        # Load Django once in the master and fork the workers from it, so they start at once
        # (importing the portal costs each process seconds of CPU on this machine).
        "--preload",
        # Production's own settings file (gunicorn would find it in the working directory).
        "--config",
        str(ROOT / "gunicorn.conf.py"),
    ]
    with open(log, "w") as output:
        process = subprocess.Popen(  # noqa: S603 - our own command line
            command, cwd=ROOT, env={**os.environ, **env}, stdout=output, stderr=output
        )
    deadline = time.time() + 120
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped at start-up; see {log}")
        try:
            answer = requests.get(
                f"http://127.0.0.1:{port}/healthz",
                headers={"X-Forwarded-Proto": "https"},
                timeout=30,
            )
            if answer.status_code == 200:
                return process
        except requests.RequestException:
            pass
        time.sleep(0.3)
    stop(process)
    sys.exit(f"gunicorn did not answer /healthz within two minutes; see {log}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_load(
    pages: list[str], port: int, plan_path: Path, work: Path, warmup: float, duration: float
) -> list[dict[str, Any]]:
    """One locust process requests each page in turn for `warmup + duration` seconds; the
    figures of each page are over its last `duration` seconds."""
    out = work / "samples.json"
    stage = warmup + duration
    env = {
        **os.environ,
        "BENCH_PLAN": str(plan_path),
        "BENCH_PAGES": ",".join(pages),
        "BENCH_STAGE": str(stage),
        "BENCH_OUT": str(out),
    }
    command = [
        str(VENV_BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(USERS),
        "--spawn-rate",
        str(USERS),
        "--run-time",
        f"{math.ceil(stage * len(pages) + 2)}s",
        "--host",
        f"http://127.0.0.1:{port}",
        "--stop-timeout",
        "10",
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    log = work / "locust.log"
    with open(log, "w") as output:
        subprocess.run(command, cwd=ROOT, env=env, stdout=output, stderr=output, check=False)  # noqa: S603
    if not out.exists():
        sys.exit(f"locust wrote no results; see {log}")
    recorded = json.loads(out.read_text())
    figures = []
    for k, page in enumerate(pages):
        start = recorded["started_at"] + k * stage + warmup
        mine = [s for s in recorded["samples"] if s[0] == page]
        page_figures = stage_figures(mine, start, duration)
        # Tasks that failed before sending their request count as errors of the page.
        failed = [e for e in recorded["task_errors"] if e[0] == page and e[1] >= start]
        failed = [e for e in failed if e[1] < start + duration]
        page_figures["load_errors"] = len(failed)
        page_figures["errors"] += len(failed)
        if failed:
            progress(
                f"{page}: {len(failed)} tasks failed before their request, e.g. {failed[0][2]}"
            )
        page_figures["load_average"] = recorded["load_average"].get(str(k))
        figures.append(page_figures)
    return figures


def percentile(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of an ordered list."""
    if not ordered:
        return float("nan")
    rank = max(1, round(p / 100 * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def stage_figures(samples: list[list], start: float, duration: float) -> dict[str, Any]:
    """Figures over the measured window: what started between the warm-up's end and the end.
    A sample is [page, started at, ms, status, ok, SQL queries, SQL ms]."""
    window = [s for s in samples if start <= s[1] < start + duration]
    times = sorted(s[2] for s in window)
    ok = [s for s in window if s[4]]
    queries = [s[5] for s in ok if s[5] is not None]
    sql_ms = [s[6] for s in ok if s[6] is not None]
    return {
        "requests": len(window),
        "rps": round(len(window) / duration, 1),
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "p99_ms": round(percentile(times, 99), 1),
        "max_ms": round(times[-1], 1) if times else None,
        "errors": len(window) - len(ok),
        "statuses": sorted({s[3] for s in window}),
        "queries": {
            "min": min(queries) if queries else None,
            "median": statistics.median(queries) if queries else None,
            "max": max(queries) if queries else None,
        },
        "sql_ms_median": round(statistics.median(sql_ms), 2) if sql_ms else None,
    }


# --- The reminder sweep -----------------------------------------------------------------------


def measure_sweep(runs: int = 3) -> dict[str, Any]:
    """`send_commitment_reminders()` in-process, as beat runs it: the selection query over all
    open commitments and the fan-out of one task per item to Redis (purged after each run)."""
    from bench.reminder_sweep import timed
    from collab.celery import app
    from projects.models import Commitment
    from projects.reminders import REMINDED_STATUSES
    from projects.tasks import send_commitment_reminders

    client = redis.Redis.from_url(REDIS_URL)
    app.control.purge()
    timed(send_commitment_reminders)  # warm-up: the broker connection and the producer pool
    app.control.purge()
    calls = []
    for _ in range(runs):
        call = timed(send_commitment_reminders)
        queued = int(client.llen("celery"))
        app.control.purge()
        calls.append((call, queued))
    seconds = [c.seconds for c, _ in calls]
    return {
        "open_commitments": Commitment.objects.filter(status__in=REMINDED_STATUSES).count(),
        "seconds_min": round(min(seconds), 3),
        "seconds_median": round(statistics.median(seconds), 3),
        "sql_seconds_median": round(statistics.median(c.sql_seconds for c, _ in calls), 3),
        "queries": len(calls[-1][0].queries),
        "tasks_queued": calls[-1][1],
        "runs": runs,
    }


# --- Reporting --------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        postgres = cursor.fetchone()[0]
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "load_average": [round(x, 2) for x in os.getloadavg()],  # at the end of the run
        "cpu": _proc_field("/proc/cpuinfo", "model name"),
        "memory": _proc_field("/proc/meminfo", "MemTotal"),
        "postgresql": postgres.split(" on ")[0],
        "python": platform.python_version(),
    }


def _proc_field(path: str, name: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(name):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def other_scale_queries(scale: float) -> tuple[float, dict[str, Any]] | None:
    """The query counts of the last run at another scale, to compare with."""
    for path in sorted(RESULTS.glob("national-scale*.json")):
        if not re.fullmatch(r"national-scale[\d.]+\.json", path.name):
            continue
        try:
            other = json.loads(path.read_text())
        except (OSError, json.JSONDecodeError):
            continue
        if other.get("scale") != scale and other.get("benchmark") == "national":
            return other["scale"], {k: v["queries"] for k, v in other["pages"].items()}
    return None


def judge(report: dict[str, Any]) -> None:
    """PASS or MISS for each goal of each page (the goals are set for scale 1)."""
    ceiling = report["ceiling_rps"]
    other = report.get("compared_with")
    for key, figures in report["pages"].items():
        if key.startswith("ceiling"):
            continue
        share = figures["rps"] / ceiling if ceiling else 0
        figures["ceiling_share"] = round(share, 3)
        goals = {
            "p95": figures["p95_ms"] < P95_GOAL_MS,
            "errors": figures["errors"] == 0,
            "throughput": share >= CEILING_SHARE_GOAL,
        }
        if other is not None:
            # The bound: the most queries a request of the page runs with nothing cached
            # (cold_queries), at this scale and the other.
            theirs = other["queries"].get(key)
            if theirs:  # not when that run measured other pages only (--pages)
                goals["queries"] = theirs.get("cold") == figures["queries"]["cold"]
        figures["goals"] = {k: "PASS" if v else "MISS" for k, v in goals.items()}


def print_report(report: dict[str, Any]) -> None:
    data, box = report["data"], report["machine"]
    print(f"\nNational benchmark, scale {report['scale']:g}, {report['date']}")
    if data["built"]:
        secs = data["seconds"]
        print(
            f"dataset: built in {secs['total']} s (generate {secs['generate']} s, COPY "
            f"{secs['copy']} s, indexes and constraints {secs['indexes_and_constraints']} s, "
            f"VACUUM ANALYZE {secs['vacuum_analyze']} s) after migrate {data['migrate_seconds']} s"
        )
    else:
        print("dataset: reused (--keep)")
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in report["rows"].items()))
    server = report["server"]
    print(
        f"server: gunicorn, {server['workers']} sync workers, {server['settings']}; load: "
        f"locust, {report['load']['users']} users, no think time, "
        f"{report['load']['duration_s']} s per page after {report['load']['warmup_s']} s warm-up"
    )
    print(
        f"machine: {box['nproc']} CPU ({box['cpu']}), load average before the run "
        f"{box['load_average_before_run']} (after it {box['load_average']}), {box['postgresql']}"
    )
    goals = "p95 < 150 ms, no errors, >= 1/3 of the ceiling's rps"
    if report.get("compared_with"):
        goals += (
            f", the same queries per request with nothing cached as at scale "
            f"{report['compared_with']['scale']:g}"
        )
    print(f"goals: {goals}\n")
    header = (
        f"{'page':<44}{'rps':>8}{'p50':>8}{'p95':>8}{'p99':>8}{'err':>6}{'queries':>10}"
        f"{'cold':>6}{'ceiling':>9}  goals"
    )
    print(header)
    print("-" * (len(header) + 24))
    for figures in report["pages"].values():
        q = figures["queries"]
        if q["min"] is None:
            queries = "-"
        else:
            queries = str(q["min"]) if q["min"] == q["max"] else f"{q['min']}-{q['max']}"
        share = figures.get("ceiling_share")
        goals = figures.get("goals")
        verdict = " ".join(f"{k} {v}" for k, v in goals.items()) if goals else ""
        print(
            f"{figures['label']:<44}{figures['rps']:>8.1f}{figures['p50_ms']:>8.1f}"
            f"{figures['p95_ms']:>8.1f}{figures['p99_ms']:>8.1f}{figures['errors']:>6}"
            f"{queries:>10}{q.get('cold', '-'):>6}{'' if share is None else f'{share:.2f}':>9}"
            f"  {verdict}"
        )
    print(
        "(latencies in ms; queries = SQL queries per request under load, min-max, counted by the"
        " server; cold = the most with nothing in the page cache)"
    )
    visits = report["first_visits"]
    print(
        f"\nfirst visits, before the load ({visits['seconds']} s, as many at once as workers): "
        + "; ".join(
            f"{dict(PAGES)[page].lower()} {v['requests']:,} pages, p50 {v['p50_ms']} ms, "
            f"p95 {v['p95_ms']} ms"
            for page, v in visits["pages"].items()
        )
    )
    s = report["reminder_sweep"]
    print(
        f"\nreminder sweep over {s['open_commitments']:,} open commitments: "
        f"{s['seconds_min']} s (median {s['seconds_median']} s, SQL {s['sql_seconds_median']} s), "
        f"{s['queries']} queries, {s['tasks_queued']:,} tasks queued"
    )
    print(f"\nWritten to {report['output']}")


# --- Entry point ------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.national", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--scale", type=float, default=1.0, help="1 = national scale")
    parser.add_argument("--keep", action="store_true", help="reuse today's data of this scale")
    parser.add_argument("--duration", type=float, help="seconds measured per page")
    parser.add_argument("--warmup", type=float, help="seconds of warm-up before each page")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default 2 x cores + 1)")
    parser.add_argument(
        "--pages", help="comma-separated subset of: " + ", ".join(k for k, _ in PAGES)
    )
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be above 0")
    small = args.scale < 0.5
    args.duration = args.duration or (5.0 if small else 30.0)
    args.warmup = args.warmup if args.warmup is not None else (1.5 if small else 5.0)
    args.workers = args.workers or 2 * len(os.sched_getaffinity(0)) + 1
    args.pages = args.pages.split(",") if args.pages else [k for k, _ in PAGES]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    began = time.perf_counter()
    # The machine's other work, before this run adds its own (gunicorn, locust and PostgreSQL
    # keep two cores busy, so the load average during the run is mostly the benchmark's).
    load_before_run = [round(x, 2) for x in os.getloadavg()]
    check_services()
    port = free_port()
    env = bench_environment(port)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    redis.Redis.from_url(REDIS_URL).flushdb()  # the bench's own database: cache, limits, queue
    data = prepare_database(args.scale, args.keep)
    static = collect_static()
    rows = row_counts()
    plan = plan_personas(port)
    connection.close()
    progress(f"Static files {static}; personas planned.")

    RESULTS.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bench-national-"))
    log = RESULTS / f"national-scale{args.scale:g}-gunicorn.log"
    progress(f"Starting gunicorn ({args.workers} workers) on 127.0.0.1:{port}...")
    server = start_gunicorn(port, args.workers, env, log)
    pages: dict[str, Any] = {}
    try:
        progress(f"Signing in {len(plan['personas'])} people through the sign-in page...")
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            cookies = list(pool.map(lambda p: SignIn(port, p).run(), plan["personas"]))
        for persona, jar in zip(plan["personas"], cookies, strict=True):
            persona["cookies"] = jar
        warm_up(port, plan, args.workers)
        progress("Counting each page's queries with nothing in the page cache...")
        cold = cold_queries(port, plan)
        progress("First visits: every project and idea page the load may open, once...")
        visits = first_visits(port, plan, args.workers)
        plan_path = work / "plan.json"
        plan_path.write_text(json.dumps(plan))
        labels = dict(PAGES)
        order = [*args.pages, "ceiling"] if "ceiling" in args.pages else args.pages
        progress(
            f"Load: {len(order)} pages in turn, {args.warmup:g} s warm-up and {args.duration:g} s "
            f"measured each, {USERS} users..."
        )
        figures = run_load(order, port, plan_path, work, args.warmup, args.duration)
        shutil.rmtree(work)  # the sessions' cookies and raw samples; kept only on a failure
        for n, (page, page_figures) in enumerate(zip(order, figures, strict=True)):
            key = "ceiling_again" if page == "ceiling" and n else page
            label = "Ceiling, again at the end" if key == "ceiling_again" else labels[page]
            page_figures["queries"]["cold"] = cold[page]
            pages[key] = {"label": label, **page_figures}
    finally:
        stop(server)
    progress("Timing the commitment reminder sweep...")
    sweep = measure_sweep()
    ceilings = [pages[k]["rps"] for k in ("ceiling", "ceiling_again") if k in pages]
    report = {
        "benchmark": "national",
        "date": timezone.now().isoformat(timespec="seconds"),
        "scale": args.scale,
        "machine": {**machine(), "load_average_before_run": load_before_run},
        "data": data,
        "rows": rows,
        "static_files": static,
        "first_visits": visits,
        "server": {
            "workers": args.workers,
            "worker_class": "sync",
            "settings": "collab.settings.bench (production + ceiling view + query header)",
            "mfa_required": True,
        },
        "load": {
            "tool": "locust (FastHttpUser), headless, separate process",
            "users": USERS,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "personas": {
                role: sum(1 for p in plan["personas"] if p["role"] == role)
                for role in ("staff", "trust_lead", "programme_admin")
            },
        },
        "pages": pages,
        "ceiling_rps": max(ceilings) if ceilings else None,
        "reminder_sweep": sweep,
        "goals": {
            "p95_ms_below": P95_GOAL_MS,
            "ceiling_share_at_least": round(CEILING_SHARE_GOAL, 3),
        },
    }
    other = other_scale_queries(args.scale)
    if other is not None:
        report["compared_with"] = {"scale": other[0], "queries": other[1]}
    judge(report)
    output = RESULTS / f"national-scale{args.scale:g}.json"
    report["output"] = str(output.relative_to(ROOT))
    report["wall_seconds"] = round(time.perf_counter() - began, 1)
    output.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print_report(report)
    print(f"Whole run: {report['wall_seconds']} s")
    return 0


def row_counts() -> dict[str, int]:
    from django.db import connection

    tables = {
        "trusts": "collab_trust",
        "collaborations": "collab_collaboration",
        "people": "collab_user",
        "projects": "projects_jointproject",
        "commitments": "projects_commitment",
        "ideas": "wellbeing_idea",
        "votes": "wellbeing_vote",
        "comments": "wellbeing_comment",
        "notifications": "collab_notification",
    }
    with connection.cursor() as cursor:
        counts = {}
        for label, table in tables.items():
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[label] = cursor.fetchone()[0]
    return counts


if __name__ == "__main__":
    sys.exit(main())
