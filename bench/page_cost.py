"""Where each benchmarked page spends its time: one request at a time, in-process, no load.

    make bench-profile [SCALE=0.05]
    .venv/bin/python -m bench.page_cost --scale 0.05 [--requests N]

`make bench` says how fast each page is under load; this says why. It reuses the national
database of that scale (building it if it is missing, as `make bench KEEP=1` would), signs the
same personas in with Django's test client under the same settings (collab.settings.bench), and
sends each page the same requests as the load test, one after another, timing for each:

  total     the whole request, middleware included (no HTTP server, no network);
  template  rendering, less the SQL that runs lazily inside it;
  sql       the round trips to PostgreSQL (planning and execution included), and how many;
  python    the rest: middleware, the view, building queries in the ORM.

The ceiling is measured the same way, so "x ceiling" is how many constant responses one page
costs. Figures print as a table and go to bench/results/page-cost-scale<SCALE>.json. CSRF is
not checked here (the test client skips it); everything else runs as in production.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from bench.national import (
    PAGES,
    REDIS_URL,
    RESULTS,
    ROOT,
    bench_environment,
    check_services,
    collect_static,
    plan_personas,
    prepare_database,
    progress,
)

COMMENT = "We tried this on our station and it helped. Could it work on nights too?"


class Timings:
    """Wall, template and SQL time of the requests sent while it is `recording`."""

    def __init__(self) -> None:
        self.recording = False
        self.reset()

    def reset(self) -> None:
        self.template = self.sql = self.sql_in_template = 0.0
        self.queries = 0
        self._in_template = 0

    def sql_wrapper(self, execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if self.recording:
                spent = time.perf_counter() - began
                self.sql += spent
                self.queries += 1
                if self._in_template:
                    self.sql_in_template += spent

    def wrap_render(self, render: Callable) -> Callable:
        def timed_render(template, *args, **kwargs):
            began = time.perf_counter()
            self._in_template += 1
            try:
                return render(template, *args, **kwargs)
            finally:
                self._in_template -= 1
                if self.recording and not self._in_template:
                    self.template += time.perf_counter() - began

        return timed_render


def requests_for(page: str, persona: dict[str, Any], plan: dict[str, Any], rng: random.Random):
    """The (method, path, data, headers, expected status) list of one turn of a page, chosen as
    bench/locustfile.py chooses them."""
    htmx = {"HTTP_HX_REQUEST": "true"}
    if page == "ceiling":
        return [("GET", "/bench/ceiling/", None, {}, 200)]
    if page == "dashboard":
        return [("GET", "/", None, {}, 200)]
    if page == "project_list":
        return [("GET", "/projects/", None, {}, 200)]
    if page == "project_page":
        return [("GET", f"/projects/{rng.choice(persona['projects'])}/", None, {}, 200)]
    if page == "tracker":
        return [("GET", f"/collaborations/{persona['tracker']}/tracker/", None, {}, 200)]
    if page == "idea_list":
        number = 1 if rng.random() < 0.7 else rng.randint(2, 10)
        suffix = "" if number == 1 else f"&page={number}"
        return [("GET", f"/ideas/campaigns/{plan['campaign']}/?sort=votes{suffix}", None, {}, 200)]
    if page == "idea_page":
        return [("GET", f"/ideas/{rng.choice(persona['ideas'])}/", None, {}, 200)]
    if page == "vote":
        path = f"/ideas/{rng.choice(persona['vote_ideas'])}/vote/"
        return [
            ("POST", path, {"action": "vote"}, htmx, 200),
            ("POST", path, {"action": "unvote"}, htmx, 200),
        ]
    if page == "comment":
        path = f"/ideas/{rng.choice(persona['comment_ideas'])}/comments/"
        return [("POST", path, {"body": COMMENT}, {}, 302)]
    raise ValueError(page)


def measure_page(page: str, clients: list, plan: dict, timings: Timings, count: int) -> dict:
    rng = random.Random(page)  # noqa: S311 - choosing pages, not secrets
    walls: list[float] = []

    def one_turn(record: bool) -> None:
        client, persona = rng.choice(clients)
        for method, path, data, headers, expected in requests_for(page, persona, plan, rng):
            timings.recording = record
            began = time.perf_counter()
            if method == "GET":
                response = client.get(path, secure=True, **headers)
            else:
                response = client.post(path, data, secure=True, **headers)
            wall = time.perf_counter() - began
            timings.recording = False
            if response.status_code != expected:
                raise SystemExit(f"{page}: {response.status_code} for {method} {path}")
            if record:
                walls.append(wall)

    for _ in range(5):
        one_turn(record=False)
    timings.reset()
    while len(walls) < count:
        one_turn(record=True)
    n = len(walls)
    total = sum(walls)
    template = timings.template - timings.sql_in_template
    return {
        "requests": n,
        "total_ms": round(total / n * 1000, 2),
        "median_ms": round(statistics.median(walls) * 1000, 2),
        "template_ms": round(template / n * 1000, 2),
        "sql_ms": round(timings.sql / n * 1000, 2),
        "python_ms": round((total - template - timings.sql) / n * 1000, 2),
        "queries": round(timings.queries / n, 1),
    }


def signed_in_clients(plan: dict) -> dict[str, Any]:
    """A test client per persona, signed in and past its first request (each client builds its
    own middleware stack, whitenoise's scan of the static files included, on its first one)."""
    from django.test import Client

    from collab.models import User

    clients = {}
    for persona in plan["personas"]:
        client = Client(SERVER_NAME="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        client.force_login(User.objects.get(email=persona["email"]))
        client.get("/bench/ceiling/", secure=True)
        clients[persona["email"]] = client
    return clients


def clients_for(page: str, plan: dict, clients: dict[str, Any]) -> list:
    """The (client, persona) pairs that request `page`: those the plan names, as the load."""
    requesters = set(plan["requesters"][page])
    return [(clients[p["email"]], p) for p in plan["personas"] if p["email"] in requesters]


def print_table(report: dict) -> None:
    ceiling = report["pages"]["ceiling"]["total_ms"]
    header = (
        f"{'page':<44} {'total':>7} {'median':>7} {'template':>9} {'sql':>6} {'python':>7}"
        f" {'queries':>8} {'x ceiling':>10}"
    )
    print(header)
    print("-" * len(header))
    labels = dict(PAGES)
    for page, f in report["pages"].items():
        print(
            f"{labels[page]:<44} {f['total_ms']:>7.1f} {f['median_ms']:>7.1f}"
            f" {f['template_ms']:>9.1f} {f['sql_ms']:>6.1f} {f['python_ms']:>7.1f}"
            f" {f['queries']:>8g} {f['total_ms'] / ceiling:>10.1f}"
        )
    print("(ms per request, one at a time, in-process; sql = round trips to PostgreSQL)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--requests", type=int, default=200, help="measured requests a page")
    args = parser.parse_args(argv)
    check_services()
    os.environ.update(bench_environment(port=8000))
    import django

    django.setup()
    import redis
    from django.db import connection
    from django.template.backends import django as django_backend

    data = prepare_database(args.scale, keep=True)
    collect_static()  # the pages link their CSS through the manifest of collected files
    plan = plan_personas(port=8000)
    timings = Timings()
    django_backend.Template.render = timings.wrap_render(django_backend.Template.render)
    clients = signed_in_clients(plan)
    pages: dict[str, Any] = {}
    with connection.execute_wrapper(timings.sql_wrapper):
        for page, label in PAGES:
            progress(f"{label}: {args.requests} requests...")
            chosen = clients_for(page, plan, clients)
            pages[page] = measure_page(page, chosen, plan, timings, args.requests)
    redis.Redis.from_url(REDIS_URL).flushdb()  # the comments' queued notification tasks
    report = {
        "benchmark": "page cost",
        "scale": args.scale,
        "data": data,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "pages": pages,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    output = RESULTS / f"page-cost-scale{args.scale:g}.json"
    output.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print_table(report)
    print(f"Written to {output.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
