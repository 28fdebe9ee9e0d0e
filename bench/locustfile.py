"""The load `make bench` drives: signed-in people of each role, one page at a time.

Run by bench/national.py as `locust --headless` in its own process, with:
  BENCH_PLAN   the plan (JSON): each persona's session cookies and the pages and ideas they see;
  BENCH_PAGES  the pages to request, in order (comma-separated keys of bench.national.PAGES);
  BENCH_STAGE  seconds spent on each page (its warm-up included);
  BENCH_OUT    where to write every request's page, timing, status and SQL query count (JSON).

One process runs every page in turn, for the same time each: all simulated people request the
first page, then all of them the second, and so on, so each page has the whole concurrency and
its own requests per second. No think time: each person sends the next request as soon as the
last one answers, so the number of users is the concurrency.

The portal runs behind a TLS-terminating proxy in production: requests say so with
X-Forwarded-Proto (collab.settings.production trusts it), and POSTs carry the Referer and Origin
a browser sends, with the CSRF token, so CSRF protection works unchanged. The session and CSRF
cookies are Secure, so they are sent as a header rather than through the client's cookie jar
(which keeps Secure cookies for https).
"""

import itertools
import json
import os
import random
import time

from locust import FastHttpUser, constant, events, task

PLAN = json.loads(open(os.environ["BENCH_PLAN"]).read())  # noqa: SIM115
PAGES = os.environ["BENCH_PAGES"].split(",")
STAGE = float(os.environ["BENCH_STAGE"])
OUT = os.environ["BENCH_OUT"]
QUERIES_HEADER = "X-Bench-Queries"
SQL_MS_HEADER = "X-Bench-SQL-ms"

# Who requests each page: those the plan names (a persona with nothing of the kind to open,
# such as a Welsh trust's staff and joint projects, requests other pages only).
PERSONAS = {
    page: [p for p in PLAN["personas"] if p["email"] in PLAN["requesters"][page]] for page in PAGES
}
_next_user = itertools.count()
samples: list[list] = []
run = {"started_at": time.time(), "load_average": {}, "task_errors": []}


def stage_now() -> int:
    return int((time.time() - run["started_at"]) // STAGE)


@events.test_start.add_listener
def _on_start(**_kwargs) -> None:
    run["started_at"] = time.time()


@events.request.add_listener
def _on_request(name, response_time, response, exception, start_time=None, **_kwargs) -> None:
    headers = getattr(response, "headers", None) or {}
    queries = headers.get(QUERIES_HEADER)
    sql_ms = headers.get(SQL_MS_HEADER)
    samples.append(
        [
            name,
            start_time or time.time(),
            round(response_time, 3),
            getattr(response, "status_code", 0),
            exception is None,
            int(queries) if queries is not None else None,
            float(sql_ms) if sql_ms is not None else None,
        ]
    )


@events.user_error.add_listener
def _on_user_error(user_instance, exception, tb, **_kwargs) -> None:
    """A task that failed before its request (the load's own fault): reported with the page,
    so the run cannot look clean while a simulated person sends nothing."""
    page = getattr(user_instance, "page", None)
    run["task_errors"].append([page, time.time(), repr(exception)])


@events.quitting.add_listener
def _on_quitting(**_kwargs) -> None:
    with open(OUT, "w") as output:
        json.dump({**run, "stage_seconds": STAGE, "pages": PAGES, "samples": samples}, output)


class Person(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.number = next(_next_user)
        self.rng = random.Random(self.number)  # noqa: S311 - choosing pages, not secrets
        self.stage = -1

    def switch_to(self, stage: int) -> None:
        """A new page: this person takes one of the personas the plan names for it."""
        self.stage = stage
        self.page = PAGES[stage]
        candidates = PERSONAS[self.page]
        self.persona = candidates[self.number % len(candidates)]
        cookies = self.persona["cookies"]
        self.headers = {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
        }
        self.csrf = cookies["csrftoken"]
        self.votes = list(self.persona["vote_ideas"])
        self.rng.shuffle(self.votes)
        run["load_average"].setdefault(str(stage), [round(x, 2) for x in os.getloadavg()])

    @task
    def request_the_page(self) -> None:
        stage = stage_now()
        if stage >= len(PAGES):
            self.environment.runner.quit()
            return
        if stage != self.stage:
            self.switch_to(stage)
        getattr(self, self.page)()

    def get(self, path: str, expect: int = 200) -> None:
        with self.client.get(
            path, headers=self.headers, name=self.page, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != expect:
                response.failure(f"{response.status_code} for {path}")

    def post(
        self, path: str, data: dict, expect: int, extra: dict | None = None, says: str = ""
    ) -> None:
        base = PLAN["origin"]
        headers = {**self.headers, "Referer": f"{base}{path}", "Origin": base, **(extra or {})}
        with self.client.post(
            path,
            data={"csrfmiddlewaretoken": self.csrf, **data},
            headers=headers,
            name=self.page,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != expect:
                response.failure(f"{response.status_code} for POST {path}")
            elif says and says not in (response.text or ""):
                response.failure(f"POST {path} did not say {says!r}")

    # --- One method per page ----------------------------------------------------------------

    def ceiling(self) -> None:
        self.get("/bench/ceiling/")

    def dashboard(self) -> None:
        self.get("/")

    def project_list(self) -> None:
        self.get("/projects/")

    def project_page(self) -> None:
        self.get(f"/projects/{self.rng.choice(self.persona['projects'])}/")

    def tracker(self) -> None:
        self.get(f"/collaborations/{self.persona['tracker']}/tracker/")

    def idea_list(self) -> None:
        # Most people read the first page; some go on to the next few.
        page = 1 if self.rng.random() < 0.7 else self.rng.randint(2, 10)
        suffix = "" if page == 1 else f"&page={page}"
        self.get(f"/ideas/campaigns/{PLAN['campaign']}/?sort=votes{suffix}")

    def idea_page(self) -> None:
        self.get(f"/ideas/{self.rng.choice(self.persona['ideas'])}/")

    def vote(self) -> None:
        # In place, as htmx does on a phone; taken back straight away, so votes never run out
        # and each idea keeps its count. Both requests are counted.
        idea = self.votes.pop()
        self.votes.insert(0, idea)
        path = f"/ideas/{idea}/vote/"
        htmx = {"HX-Request": "true"}
        self.post(path, {"action": "vote"}, 200, htmx, says="Your vote is counted.")
        self.post(path, {"action": "unvote"}, 200, htmx, says="Your vote is taken back.")

    def comment(self) -> None:
        idea = self.rng.choice(self.persona["comment_ideas"])
        body = "We tried this on our station and it helped. Could it work on nights too?"
        self.post(f"/ideas/{idea}/comments/", {"body": body}, 302)
