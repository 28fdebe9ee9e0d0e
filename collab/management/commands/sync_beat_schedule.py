"""Write the periodic schedules declared in settings.CELERY_BEAT_SCHEDULE to beat's database.

Run on every deploy (and by `make run`): the settings are the one place schedules are declared,
so a schedule changed there changes in beat, and one removed there is switched off.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import PeriodicTask, PeriodicTasks
from django_celery_beat.schedulers import ModelEntry

from collab.celery import app


class Command(BaseCommand):
    help = "Create or update beat's periodic tasks from settings.CELERY_BEAT_SCHEDULE."

    def handle(self, *args, **options) -> None:
        declared = settings.CELERY_BEAT_SCHEDULE
        with transaction.atomic():
            for name, entry in declared.items():
                ModelEntry.from_entry(name, app=app, **entry)
            # Celery's own housekeeping entries are not ours to switch off.
            undeclared = PeriodicTask.objects.exclude(name__in=declared).exclude(
                name__startswith="celery."
            )
            switched_off = undeclared.filter(enabled=True).update(enabled=False)
            PeriodicTasks.update_changed()
        self.stdout.write(
            f"{len(declared)} periodic task(s) declared and saved; "
            f"{switched_off} no longer declared switched off."
        )
