"""A real Celery worker for tests: a worker thread consuming from the test Redis broker."""

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings as django_settings
from django.db import connections

from collab.celery import app


def _close_worker_connections(**kwargs) -> None:
    # The worker thread opens its own database connection; left open, it blocks the test
    # database from being dropped at the end of the run.
    connections.close_all()


@pytest.fixture
def real_worker():
    """A worker thread on the test Redis, with results stored so tests can wait for them."""
    task_postrun.connect(_close_worker_connections, weak=False)
    app.conf.task_always_eager = False
    app.conf.result_backend = django_settings.REDIS_URL
    app.control.purge()  # a message left by an earlier, interrupted run must not leak in
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10
        ) as worker:
            yield worker
    finally:
        task_postrun.disconnect(_close_worker_connections)
        app.conf.task_always_eager = True
        app.conf.result_backend = None
