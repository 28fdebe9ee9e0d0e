"""Settings shared by every environment. Environment-specific modules import from here."""

import re
from pathlib import Path
from urllib.parse import urlsplit

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from collab.settings.environment import env_bool, env_int, env_json_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "rules",
    "django_celery_beat",
    "django_htmx",
    "csp",
    "collab",
    "projects",
    "procurement",
    "wellbeing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "collab.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "collab.urls"
WSGI_APPLICATION = "collab.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "collab.context_processors.portal",
                "collab.context_processors.notifications",
                "collab.context_processors.header",
            ],
        },
    },
]

# Widgets render through TEMPLATES, so templates/django/forms/ can override Django's own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

AUTH_USER_MODEL = "collab.User"
# Sessions are read from the cache (Redis in production) and kept in the database too, so a
# restart of Redis signs nobody out; every request reads its session, and this saves that
# round trip to PostgreSQL (issue 7).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's backends, each loading the signed-in person with their home trust.
    "collab.auth_backends.PortalModelBackend",
    "collab.auth_backends.PortalAuthenticationBackend",
    "rules.permissions.ObjectPermissionBackend",
    "collab.auth_backends.SiteAdminBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # The NHS.UK design system, installed by npm from package-lock.json; served by whitenoise.
    ("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
    # htmx, for in-place voting and the like (pages work without it).
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

# --- django-allauth ---------------------------------------------------------------------------
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "collab.adapters.PortalAccountAdapter"
ACCOUNT_FORMS = {
    "login": "collab.forms.PortalLoginForm",
    "signup": "collab.forms.PortalSignupForm",
    "add_email": "collab.forms.PortalAddEmailForm",
    "change_password": "collab.forms.PortalChangePasswordForm",
    "set_password": "collab.forms.PortalSetPasswordForm",
    "reset_password": "collab.forms.PortalResetPasswordForm",
    "reset_password_from_key": "collab.forms.PortalResetPasswordKeyForm",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Ambulance Collaboration Portal] "
# allauth's login rate limits stay at its defaults (failed sign-ins: 10 a minute per address
# of origin, 5 in 5 minutes per account); the cache that counts them is Redis in production.
SOCIALACCOUNT_ADAPTER = "collab.adapters.PortalSocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
# The trust's identity provider has already verified the address; its domain decides the trust.
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_ONLY = False

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Ambulance Collaboration Portal"

# Single sign-on through OpenID Connect, one app per trust tenant (e.g. Microsoft Entra ID).
# SSO_OIDC_APPS is a JSON list: [{"provider_id": "entra-las", "name": "LAS (Microsoft)",
#   "client_id": "...", "secret": "...", "server_url": "https://login.microsoftonline.com/<tenant>/v2.0"}]
SSO_OIDC_APPS = env_json_list(
    "SSO_OIDC_APPS", {"provider_id", "name", "client_id", "secret", "server_url"}
)
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": app["provider_id"],
                "name": app["name"],
                "client_id": app["client_id"],
                "secret": app["secret"],
                "settings": {"server_url": app["server_url"]},
            }
            for app in SSO_OIDC_APPS
        ],
    }
}

# --- the portal -------------------------------------------------------------------------------
# When on, trust leads, programme admins and site admins must set up MFA before anything else.
PORTAL_MFA_REQUIRED = env_bool("PORTAL_MFA_REQUIRED", default=True)
PORTAL_SERVICE_NAME = "Ambulance Collaboration Portal"
# The Open Contracting ID prefix of the procurement JSON releases: "ocds-" and six lowercase
# letters or digits. The default is a placeholder: a real prefix is registered, free, with the
# OCDS helpdesk ("Register an OCID prefix" in the OCDS guidance) before releases go anywhere.
PORTAL_OCDS_PREFIX = env_str("PORTAL_OCDS_PREFIX", "ocds-acp001")
if not re.fullmatch(r"ocds-[a-z0-9]{6}", PORTAL_OCDS_PREFIX):
    raise ImproperlyConfigured(
        f"PORTAL_OCDS_PREFIX must be ocds- and six lowercase letters or digits, "
        f"not {PORTAL_OCDS_PREFIX!r}."
    )
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", default=14)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Ambulance Collaboration Portal <noreply@example.org>"
)
# Absolute address of the portal, for links in emails sent by the Celery worker.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
PORTAL_EMAIL_SUBJECT_PREFIX = "[Ambulance Collaboration Portal] "
# A stuck mail server must not hold a worker (and the outbox row it has claimed) for ever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", default=30)

# --- Celery ---------------------------------------------------------------------------------
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
# When the broker is down a web request must not hang: publishing gives up quickly and the
# outbox sweeper sends the notification once the broker is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# Every periodic schedule is declared here, in one place (beat copies it into its database).
CELERY_BEAT_SCHEDULE: dict = {
    # Shortly after midnight: projects whose decision deadline was yesterday become active
    # (or close if no trust joined).
    "start-projects-past-deadline": {
        "task": "projects.tasks.start_projects_past_deadline",
        "schedule": crontab(hour=0, minute=5),
    },
    # Reminders go out early in the morning, before the working day: commitments due soon,
    # overdue or escalated, and decision deadlines approaching. Each sweep is safe to repeat.
    "send-commitment-reminders": {
        "task": "projects.tasks.send_commitment_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
    "send-deadline-reminders": {
        "task": "projects.tasks.send_deadline_reminders",
        "schedule": crontab(hour=6, minute=35),
    },
    # Procurement rounds closing in 14 days, in 3 days or today: leads of trusts that have not
    # confirmed their order are reminded.
    "send-procurement-closing-reminders": {
        "task": "procurement.tasks.send_closing_date_reminders",
        "schedule": crontab(hour=6, minute=40),
    },
    # The outbox sweeper: anything a broker outage or a failed attempt left waiting.
    "deliver-waiting-notifications": {
        "task": "collab.tasks.deliver_waiting_notifications",
        "schedule": crontab(minute="*/5"),
    },
    # New comments: their followers are told within 30 seconds. A comment queues no task of
    # its own, which cost its request a fifth of its time (issue 7).
    "tell-followers-of-untold-comments": {
        "task": "wellbeing.tasks.tell_followers_of_untold_comments",
        "schedule": 30.0,
    },
    "send-daily-digests": {
        "task": "collab.tasks.send_digests",
        "schedule": crontab(hour=7, minute=0),
        "args": ("daily",),
    },
    "send-weekly-digests": {
        "task": "collab.tasks.send_digests",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
        "args": ("weekly",),
    },
}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# --- Content-Security-Policy (django-csp 4) ---------------------------------------------------
# Our pages need no inline script or style: everything comes from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # Signing in through SSO posts a form that redirects to the trust's identity provider.
        "form-action": ["'self'", *sorted({_origin(app["server_url"]) for app in SSO_OIDC_APPS})],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Uploaded files (commitment evidence) go through Django's storage API; this is the folder the
# file-system storage writes to. Evidence is served through a view that checks access, never
# straight from this folder.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# Evidence attached to a commitment update: size limit and the file types accepted.
PORTAL_EVIDENCE_MAX_BYTES = env_int("PORTAL_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
PORTAL_EVIDENCE_EXTENSIONS = [
    "pdf",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "webp",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "odt",
    "ods",
    "odp",
    "csv",
    "txt",
]
# Attachments to a staff idea: pictures or a PDF, taken on a phone or scanned.
PORTAL_IDEA_ATTACHMENT_MAX_BYTES = env_int("PORTAL_IDEA_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)
PORTAL_IDEA_ATTACHMENT_EXTENSIONS = ["pdf", "png", "jpg", "jpeg", "gif", "webp", "heic"]
PORTAL_IDEA_ATTACHMENTS_PER_IDEA = 3
