"""Real workers, real brokers and waiting for them, for the notification worker tests."""

import datetime
import socket
import subprocess
import time
from collections import Counter
from contextlib import contextmanager
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.core import mail

from collab.celery import app
from collab.models import Delivery, DeliveryStatus, Notification
from projects.models import Category, FundingModel
from projects.services import milestone_save, project_create, project_open
from tests.celery_worker import _close_worker_connections, celery_settings
from tests.projects.conftest import (  # noqa: F401  (fixtures shared with the project tests)
    active_project,
    active_project_both,
    draft_project,
    las_participation,
    open_project,
    secamb_participation,
)
from tests.projects.helpers import days


def wait_until(predicate, *, timeout: float = 30, what="the worker") -> None:
    """Poll until `predicate()` is true: waiting for a worker, never for the calendar.

    `what` names what is awaited; a callable is called for it only on timeout."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            what = what() if callable(what) else what
            raise AssertionError(f"Timed out after {timeout}s waiting for {what}.")
        time.sleep(0.05)


def noon_on(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _broker_idle() -> bool:
    client = redis.Redis.from_url(app.conf.broker_url)
    try:
        # Messages waiting, and messages a worker holds (acks_late: until the task returns).
        return client.llen("celery") == 0 and client.hlen("unacked") == 0
    finally:
        client.close()


def drain(timeout: float = 30) -> None:
    """Wait until the worker has run everything queued, and everything those tasks queued.

    A task queues its follow-ups before it is acknowledged, so an empty queue with nothing
    unacknowledged means the worker is done; checked twice to step over the instant between
    the worker taking a message and recording it as unacknowledged.
    """
    for _ in range(2):
        wait_until(_broker_idle, timeout=timeout, what="the worker to empty the queue")
        time.sleep(0.2)
    wait_until(_broker_idle, timeout=timeout, what="the worker to empty the queue")


@pytest.fixture
def outcomes():
    """What each task run by a worker thread returned, by task name."""
    returned: dict[str, list] = {}

    def record(sender=None, retval=None, **kwargs) -> None:
        returned.setdefault(sender.name, []).append(retval)

    task_postrun.connect(record, weak=False)
    try:
        yield returned
    finally:
        task_postrun.disconnect(record)


def nothing_pending() -> bool:
    return not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists()


def emails() -> Counter:
    """Every email the locmem backend holds (the worker thread shares it): (to, subject)."""
    return Counter((message.to[0], message.subject) for message in mail.outbox)


def emails_for(notifications) -> Counter:
    """The emails these notifications should have produced, one each."""
    return Counter(
        (n.recipient.email, settings.PORTAL_EMAIL_SUBJECT_PREFIX + n.title) for n in notifications
    )


def notifications(**filters) -> list[Notification]:
    return list(Notification.objects.filter(**filters).select_related("recipient"))


def open_second_project(collaboration, admin, lead_trust, title: str):
    """Another Southern project, open for decisions for 14 days."""
    project = project_create(
        collaboration=collaboration,
        actor=admin,
        lead_trust=lead_trust,
        title=title,
        summary=f"{title}, together.",
        category=Category.WORKFORCE_AND_WELLBEING,
        terms="Each trust takes part.",
        funding_model=FundingModel.EQUAL_SPLIT,
        total_budget=Decimal("30000.00"),
        decision_deadline=days(14),
        planned_start=days(21),
        planned_end=days(200),
    )
    milestone_save(
        project=project, actor=admin, title="Pilot", deliverable="Run a pilot.", due_on=days(60)
    )
    return project_open(project=project, actor=admin)


# --- Workers and brokers ---------------------------------------------------------------------


@pytest.fixture
def queued_to_redis():
    """Tasks go to the broker instead of running in-process; no worker is started."""
    with celery_settings(CELERY_TASK_ALWAYS_EAGER=False):
        app.control.purge()
        yield


@contextmanager
def worker_thread(*, pool: str = "solo", concurrency: int = 1):
    """A worker thread consuming from whatever broker the app points at now."""
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with start_worker(
            app,
            pool=pool,
            concurrency=concurrency,
            perform_ping_check=False,
            shutdown_timeout=10,
        ) as worker:
            yield worker
    finally:
        task_postrun.disconnect(_close_worker_connections)


@pytest.fixture
def threaded_worker(queued_to_redis):
    """Four worker threads, so that duplicate tasks really run at the same time."""
    with worker_thread(pool="threads", concurrency=4) as worker:
        yield worker


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A private redis-server on its own port, which a test may stop and start again."""

    def __init__(self, port: int, folder) -> None:
        self.port = port
        self.folder = folder
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def _answers(self) -> bool:
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
        except redis.ConnectionError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", ""]
            + ["--appendonly", "no", "--daemonize", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )
        wait_until(self._answers, timeout=10, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        assert not self._answers()


@pytest.fixture
def private_redis(tmp_path):
    server = RedisServer(_free_port(), tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _forget_broker_connections() -> None:
    """Make the app connect afresh to whatever broker its settings name now.

    app.close() is not enough: in Celery 5.5 it forgets the connection pool but not the
    producer pool (app.amqp.producer_pool), which goes on publishing to the old broker; it
    also unregisters the app for the rest of the run. The pools themselves are kombu's, shared
    by every app on the same broker: drop the app's references to them, do not close them.
    """
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def worker_on_private_redis(private_redis, queued_to_redis):
    """The app and a worker thread on the private broker; the machine's Redis stays up."""
    try:
        with celery_settings(CELERY_BROKER_URL=private_redis.url):
            _forget_broker_connections()
            assert app.conf.broker_url == private_redis.url
            with worker_thread() as worker:
                yield worker
    finally:
        _forget_broker_connections()
        assert app.producer_pool.connections.connection.as_uri() == settings.REDIS_URL
