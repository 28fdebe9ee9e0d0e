"""Settings helpers fail fast on bad values instead of guessing."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from collab.settings.environment import (
    env_bool,
    env_database,
    env_int,
    env_json_list,
    env_list,
    env_str,
)


def test_a_required_value_that_is_missing_stops_start_up(monkeypatch):
    monkeypatch.delenv("PORTAL_X", raising=False)
    with pytest.raises(ImproperlyConfigured, match="PORTAL_X"):
        env_str("PORTAL_X")


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("On", True), ("0", False), ("no", False)]
)
def test_booleans_accept_the_usual_words(monkeypatch, raw, expected):
    monkeypatch.setenv("PORTAL_X", raw)
    assert env_bool("PORTAL_X", default=not expected) is expected


def test_a_boolean_that_is_neither_true_nor_false_is_refused(monkeypatch):
    monkeypatch.setenv("PORTAL_X", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("PORTAL_X", default=False)


def test_an_integer_that_is_not_a_number_is_refused(monkeypatch):
    monkeypatch.setenv("PORTAL_X", "fourteen")
    with pytest.raises(ImproperlyConfigured):
        env_int("PORTAL_X", default=14)


def test_lists_are_comma_separated(monkeypatch):
    monkeypatch.setenv("PORTAL_X", "a.example.org, b.example.org,")
    assert env_list("PORTAL_X") == ["a.example.org", "b.example.org"]


def test_database_urls_are_parsed_and_bad_ones_refused(monkeypatch):
    monkeypatch.setenv("PORTAL_DB", "postgres://portal:secret@db.internal:5432/portal")
    config = env_database("PORTAL_DB")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "portal"
    monkeypatch.setenv("PORTAL_DB", "nonsense://x")
    with pytest.raises(ImproperlyConfigured):
        env_database("PORTAL_DB")


def test_sso_apps_need_every_key(monkeypatch):
    monkeypatch.setenv("PORTAL_SSO", '[{"provider_id": "entra-las", "name": "LAS"}]')
    with pytest.raises(ImproperlyConfigured, match="client_id"):
        env_json_list("PORTAL_SSO", {"provider_id", "name", "client_id"})
    monkeypatch.setenv("PORTAL_SSO", "not json")
    with pytest.raises(ImproperlyConfigured):
        env_json_list("PORTAL_SSO", {"provider_id"})
