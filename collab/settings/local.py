"""The local demo (`make run`): no PostgreSQL or Redis needed unless DATABASE_URL/REDIS_URL say."""

from collab.settings.base import *  # noqa: F403
from collab.settings.base import BASE_DIR
from collab.settings.environment import env_bool, env_database, env_list, env_str

DEBUG = env_bool("DEBUG", default=True)
# Local mode only: a fixed key is acceptable because nothing here is real.
SECRET_KEY = env_str("SECRET_KEY", "local-demo-only-not-secret-3f9a1c7e5b2d4a6f8e0c1b3d5f7a9c2e")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the worker and beat write to one SQLite file: wait for the lock rather
    # than fail with "database is locked", and take it at the start of each transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CACHES = {"default": {"BACKEND": "collab.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    # kombu's filesystem transport: the web server, worker and beat share a folder, no Redis.
    _BROKER_DIR = BASE_DIR / ".celery-broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_BROKER_DIR / "queue"),
        "data_folder_out": str(_BROKER_DIR / "queue"),
        "processed_folder": str(_BROKER_DIR / "processed"),
        # Broadcasts (worker remote control) too, or kombu makes ./control in the checkout.
        "control_folder": str(_BROKER_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.5,  # the demo feels live: tasks start within half a second
    }
    for _folder in ("queue", "processed", "control"):
        (_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
PORTAL_MFA_REQUIRED = env_bool("PORTAL_MFA_REQUIRED", default=False)
# Passkeys on http://127.0.0.1 during the demo.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True

# Demo accounts with a shared password may be seeded here (never in production).
PORTAL_DEMO_SEED_ALLOWED = True

# The demo shows reminders arriving within a minute or two of `make run`, not at 06:30:
# the same schedules, run more often (each sweep is safe to repeat).
CELERY_BEAT_SCHEDULE = {  # noqa: F405
    **CELERY_BEAT_SCHEDULE,  # noqa: F405
    **{
        name: {**CELERY_BEAT_SCHEDULE[name], "schedule": seconds}  # noqa: F405
        for name, seconds in (
            ("send-commitment-reminders", 120.0),
            ("send-deadline-reminders", 120.0),
            ("send-procurement-closing-reminders", 120.0),
            ("deliver-waiting-notifications", 60.0),
        )
    },
}
