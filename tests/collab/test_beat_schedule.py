"""Periodic schedules are declared once, in settings, and written to beat's database by a
management command: run twice, they stay one each; changed or removed, beat follows."""

import pytest
from celery.schedules import crontab
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from collab.celery import app

pytestmark = pytest.mark.django_db


def test_every_declared_schedule_becomes_one_periodic_task(settings):
    call_command("sync_beat_schedule")
    call_command("sync_beat_schedule")

    saved = {task.name: task for task in PeriodicTask.objects.filter(enabled=True)}
    assert set(saved) == set(settings.CELERY_BEAT_SCHEDULE)
    reminders = saved["send-commitment-reminders"]
    assert reminders.task == "projects.tasks.send_commitment_reminders"
    assert (reminders.crontab.hour, reminders.crontab.minute) == ("6", "30")
    assert saved["send-weekly-digests"].args == '["weekly"]'
    new_comments = saved["tell-followers-of-untold-comments"].interval
    assert (new_comments.every, new_comments.period) == (30, "seconds")


def test_every_declared_task_exists():
    app.loader.import_default_modules()  # what a worker does at start: find every tasks.py
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_a_changed_schedule_is_updated_and_a_removed_one_switched_off(settings):
    call_command("sync_beat_schedule")
    settings.CELERY_BEAT_SCHEDULE = {
        "send-commitment-reminders": {
            "task": "projects.tasks.send_commitment_reminders",
            "schedule": crontab(hour=5, minute=0),
        }
    }

    call_command("sync_beat_schedule")

    assert PeriodicTask.objects.get(name="send-commitment-reminders").crontab.hour == "5"
    assert list(PeriodicTask.objects.filter(enabled=True).values_list("name", flat=True)) == [
        "send-commitment-reminders"
    ]
