"""A real Celery worker for tests: a worker thread consuming from the test Redis broker."""

from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from collab.celery import app


def _close_worker_connections(**kwargs) -> None:
    # The worker thread opens its own database connection; left open, it blocks the test
    # database from being dropped at the end of the run.
    connections.close_all()


@contextmanager
def celery_settings(**namespaced):
    """Override CELERY_* settings on the app for a while.

    `app.conf.task_always_eager = False` alone changes nothing: the app reads Django settings
    with the CELERY namespace and looks the prefixed name (CELERY_TASK_ALWAYS_EAGER) up first,
    so the Django setting wins. The prefixed name set on the app wins over it.
    """
    saved = {key: app.conf.changes[key] for key in namespaced if key in app.conf.changes}
    for key, value in namespaced.items():
        app.conf[key] = value
    try:
        yield
    finally:
        for key in namespaced:
            app.conf.changes.pop(key, None)
        app.conf.changes.update(saved)


@contextmanager
def results_stored():
    """Let tests wait for a task's result. CELERY_TASK_IGNORE_RESULT is fixed into each task
    when the app is set up, so it is switched on the tasks themselves, then back."""
    app.loader.import_default_modules()
    tasks = [task for name, task in app.tasks.items() if not name.startswith("celery.")]
    ignored = {task.name: task.ignore_result for task in tasks}
    for task in tasks:
        task.ignore_result = False
    try:
        yield
    finally:
        for task in tasks:
            task.ignore_result = ignored[task.name]


@pytest.fixture
def real_worker():
    """A worker thread on the test Redis; tasks are sent to it, and their results stored so
    tests can wait for them."""
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with (
            celery_settings(CELERY_TASK_ALWAYS_EAGER=False),
            results_stored(),
        ):
            assert not app.conf.task_always_eager
            app.control.purge()  # a message left by an earlier, interrupted run must not leak in
            with start_worker(
                app, pool="solo", perform_ping_check=False, shutdown_timeout=10
            ) as worker:
                yield worker
    finally:
        task_postrun.disconnect(_close_worker_connections)
