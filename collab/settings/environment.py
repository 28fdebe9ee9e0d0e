"""Strict readers for settings that come from the environment.

Each one fails fast with ImproperlyConfigured when a value is missing or malformed, so a
misconfigured deployment stops at start-up instead of misbehaving later.
"""

import json
import os
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

_REQUIRED = object()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: Any = _REQUIRED) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is _REQUIRED:
            raise ImproperlyConfigured(f"Set the {name} environment variable.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"Set the {name} environment variable (comma-separated).")
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


def env_database(name: str, default: str | None = None) -> dict[str, Any]:
    url = env_str(name, default if default is not None else _REQUIRED)
    try:
        config = environ.Env.db_url_config(url)
    except Exception as error:  # django-environ raises several types for a bad URL
        raise ImproperlyConfigured(f"{name} is not a database URL we understand: {error}") from None
    # django-environ passes an unknown scheme through as the engine name; refuse it here.
    if "." not in config.get("ENGINE", ""):
        raise ImproperlyConfigured(f"{name} has an unknown database scheme: {url.split(':')[0]}")
    if config["ENGINE"] == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {}).update(POSTGRESQL_PREPARED_STATEMENTS)
    return config


# Planning a page's joins cost PostgreSQL more than running them (3 ms against 0.2 ms for an
# idea with its campaign, author, trust and theme; issue 7). Parameters bound on the server let
# psycopg prepare a statement after its fifth use on a connection, so PostgreSQL can keep its
# plan. Connections live for CONN_MAX_AGE; a pooler in transaction mode (PgBouncer before 1.21)
# would need prepare_threshold None.
POSTGRESQL_PREPARED_STATEMENTS = {"server_side_binding": True, "prepare_threshold": 5}


def env_email(name: str) -> dict[str, Any]:
    url = env_str(name)
    try:
        return environ.Env.email_url_config(url)
    except Exception as error:
        raise ImproperlyConfigured(f"{name} is not an email URL we understand: {error}") from None


def env_json_list(name: str, required_keys: set[str]) -> list[dict[str, Any]]:
    """A JSON list of objects, each with at least `required_keys` (used for SSO apps)."""
    raw = os.environ.get(name, "")
    if not raw:
        return []
    try:
        items = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"{name} is not valid JSON: {error}") from None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ImproperlyConfigured(f"{name} must be a JSON list of objects.")
    for item in items:
        missing = required_keys - item.keys()
        if missing:
            raise ImproperlyConfigured(f"{name}: an entry lacks {', '.join(sorted(missing))}.")
    return items
