"""A worker process killed in the middle of sending an email: the task is retried, sent once."""

import email
import os
import re
import shutil
import signal
import subprocess

import pytest
from django.conf import settings
from django.db import connection

from collab.models import Delivery, DeliveryStatus
from projects.services import participation_decide
from tests.notifications.conftest import drain, wait_until

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _start_worker(mail_dir, log_path) -> subprocess.Popen:
    """A real `celery worker` with one prefork child, on the test database and Redis."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "PORTAL_TEST_MAIL_DIR": str(mail_dir),
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    with open(log_path, "w") as log:
        return subprocess.Popen(
            [str(settings.BASE_DIR / ".venv/bin/celery"), "-A", "collab", "worker"]
            + ["--pool=prefork", "--concurrency=1", "--loglevel=INFO"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so the test can end all of it
        )


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)


def _pool_children(worker: subprocess.Popen) -> set[int]:
    pgrep = shutil.which("pgrep")
    found = subprocess.run([pgrep, "-P", str(worker.pid)], capture_output=True, text=True)
    return {int(pid) for pid in found.stdout.split()}


def test_a_worker_killed_mid_send_requeues_the_task_and_the_retry_sends_once(
    las_participation, lead_of_las, admin_of_southern, queued_to_redis, tmp_path
):
    participation_decide(
        participation=las_participation,
        actor=lead_of_las,
        opt_in=True,
        reason="Yes.",
        contact=lead_of_las,
        confirmed=True,
    )
    # The programme admin's email, queued on commit to Redis.
    [delivery] = Delivery.objects.filter(status=DeliveryStatus.PENDING)
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    marker = mail_dir / "started"
    log_path = tmp_path / "worker.log"

    worker = _start_worker(mail_dir, log_path)
    try:
        wait_until(
            lambda: marker.exists() and marker.read_text(),
            timeout=60,
            what=lambda: f"a send; the worker's log:\n{log_path.read_text()}",
        )
        sender = int(marker.read_text())
        assert _pool_children(worker) == {sender}
        os.kill(sender, signal.SIGKILL)

        wait_until(
            lambda: Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT,
            timeout=60,
            what="the retried delivery",
        )
        drain()
        assert worker.poll() is None, "the worker itself must survive losing its child"
    finally:
        _stop(worker)

    log = log_path.read_text()
    assert "WorkerLostError" in log, log
    # The same message, requeued by the master when its child was lost, not a new task.
    received = re.findall(r"deliver_notification\[([0-9a-f-]+)\] received", log)
    assert len(received) == 2 and len(set(received)) == 1, log
    [sent] = mail_dir.glob("*.eml")
    message = email.message_from_bytes(sent.read_bytes())
    assert message["To"] == admin_of_southern.email
    assert message["Subject"].endswith("LAS opted in to AI triage evaluation")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.SENT,
        1,
        "",
    )
