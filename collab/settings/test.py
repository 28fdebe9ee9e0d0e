"""The test suite: the real PostgreSQL and Redis at 127.0.0.1, as `make test` runs them."""

from collab.settings.base import *  # noqa: F403
from collab.settings.environment import env_database, env_str

DEBUG = False
SECRET_KEY = "test-suite-only-not-secret-8d6b4f2a0c9e7d5b3a1f8e6c4a2b0d9f"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

DATABASES = {
    "default": env_database("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ambulance_portal")
}
# Its own Redis database, so the suite never reads a developer's queue.
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/15")
CELERY_BROKER_URL = REDIS_URL
# Results are kept only where a real-worker test asks for them (tests/celery_worker.py); the
# backend is set from the start because the app caches it on first use.
CELERY_RESULT_BACKEND = REDIS_URL
# Most tests run tasks in-process; tests marked celery_worker switch this off and use a worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CACHES = {
    "default": {
        "BACKEND": "collab.redis_cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "tests",
    }
}

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
PORTAL_MFA_REQUIRED = False  # tests that check enforcement switch it on
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
# Rate limits are tested on their own; elsewhere they would make tests depend on each other.
ACCOUNT_RATE_LIMITS = False
WHITENOISE_USE_FINDERS = True

PORTAL_DEMO_SEED_ALLOWED = True
