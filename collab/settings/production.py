"""Production: every secret and address comes from the environment; nothing has a default."""

from collab.settings.base import *  # noqa: F403
from collab.settings.environment import (
    env_bool,
    env_database,
    env_email,
    env_int,
    env_list,
    env_str,
)

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
SITE_URL = env_str("SITE_URL")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

DATABASES = {"default": env_database("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CACHES = {
    "default": {
        "BACKEND": "collab.redis_cache.RedisCache",
        "LOCATION": REDIS_URL,
        # Pages and audited writes read the page cache (collab.page_cache), which renders
        # without it when Redis fails: a Redis that hangs must fail quickly too.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}

_email = env_email("EMAIL_URL")  # e.g. smtp+tls://user:password@smtp.example.org:587
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST")
EMAIL_PORT = _email.get("EMAIL_PORT")
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "collab.static_storage.PortalStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

PORTAL_MFA_REQUIRED = env_bool("PORTAL_MFA_REQUIRED", default=True)
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
