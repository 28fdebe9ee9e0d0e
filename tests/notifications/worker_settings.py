"""Settings for a worker subprocess started by a test: the test suite's, with a slow mail
backend that writes files (see email_backends.SlowFileBackend)."""

from collab.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "tests.notifications.email_backends.SlowFileBackend"
