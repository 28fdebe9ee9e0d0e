"""Production's static storage works each file's hashed address out once, then remembers it."""

import json

import pytest

from collab.static_storage import PortalStaticFilesStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.STATIC_URL = "/static/"
    manifest = {"version": "1.1", "hash": "x", "paths": {"css/portal.css": "css/portal.3f9a.css"}}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return PortalStaticFilesStorage(location=tmp_path, base_url="/static/")


def test_a_files_address_is_its_hashed_name_every_time(storage, monkeypatch):
    worked_out = []
    original = storage.stored_name
    monkeypatch.setattr(
        storage, "stored_name", lambda name: worked_out.append(name) or original(name)
    )

    assert storage.url("css/portal.css") == "/static/css/portal.3f9a.css"
    assert storage.url("css/portal.css") == "/static/css/portal.3f9a.css"
    assert worked_out == ["css/portal.css"]


def test_a_file_missing_from_the_manifest_fails_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")


def test_debug_serves_the_unhashed_file(storage, settings):
    settings.DEBUG = True
    assert storage.url("css/portal.css") == "/static/css/portal.css"
