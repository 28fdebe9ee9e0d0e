"""The shared machinery of the per-view permission tables (tests/*/test_views_*.py): each
module lists its views as cases with a `build(getfixturevalue)` that sets the scene."""

from collections.abc import Callable

import pytest
from django.urls import reverse


def send(client, method: str, url: str, data: dict | None = None):
    """Request `url` with any method, posting `data` when it is a POST."""
    if method == "GET":
        return client.get(url)
    if method == "POST":
        return client.post(url, data or {})
    return getattr(client, method.lower())(url)


def content(response) -> bytes:
    """The body of a page or of a streamed file."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def persona_cases(cases, attribute: str) -> list:
    """One parameter per case and person named in the case's `attribute` list."""
    return [
        pytest.param(case, persona, id=f"{case.name}-{persona}")
        for case in cases
        for persona in getattr(case, attribute)
    ]


@pytest.fixture
def scene(request, case):
    """The objects a case's view works on, built from the personas it names."""
    return case.build(request.getfixturevalue)


# --- The checks every table runs: each app's test module names its tests and passes its own
# `db_state` (every row of the tables its services write) ------------------------------------

# For each set of methods a view answers, methods it must refuse with 405.
WRONG_METHODS = {
    ("GET",): ("POST", "PUT"),
    ("POST",): ("GET", "DELETE"),
    ("GET", "POST"): ("PUT", "DELETE"),
}


def case_params(cases) -> list:
    return [pytest.param(case, id=case.name) for case in cases]


def person_case_params(cases, attribute: str) -> list:
    """One parameter per case and entry of its `attribute` list: (persona, url key[, methods])."""
    return [
        pytest.param(case, *entry, id=f"{case.name}-{entry[0]}-{entry[1]}")
        for case in cases
        for entry in getattr(case, attribute)
    ]


def check_happy_path(client, actor, case, scene, db_state: Callable[[], dict]) -> None:
    """The right person reads the page without changing anything, and the action takes
    effect (a POST answers with a redirect, then the case checks the database)."""
    client.force_login(actor)
    if "GET" in case.methods:
        before = db_state()
        response = client.get(scene.url)
        assert response.status_code == 200, content(response).decode()[:2000]
        if case.shows:
            assert case.shows in response.content.decode()
        if case.get_check:
            case.get_check(scene, response)
        assert db_state() == before, "reading a page changed the database"
    if "POST" in case.methods:
        response = client.post(scene.url, case.data(scene))
        assert response.status_code == 302, content(response).decode()[:3000]
        case.effect(scene, response)


def check_wrong_methods_refused(client, actor, case, scene, db_state: Callable[[], dict]) -> None:
    client.force_login(actor)
    before = db_state()
    for method in WRONG_METHODS[case.methods]:
        response = send(client, method, scene.url, case.data(scene))
        assert response.status_code == 405, method
        assert sorted(response["Allow"].split(", ")) == sorted(case.methods)
    assert db_state() == before


def check_forbidden(
    client, person, case, scene, key: str, methods, db_state: Callable[[], dict]
) -> None:
    """403 for each of `methods`, and nothing written."""
    client.force_login(person)
    before = db_state()
    for method in methods:
        response = send(client, method, scene.urls[key], case.data(scene))
        assert response.status_code == 403, method
    assert db_state() == before


def check_hidden(
    client, person, case, scene, key: str, secret: str | None, db_state: Callable[[], dict]
) -> None:
    """404 for every method, exactly like something that does not exist: `secret` (a title
    of the other tenant) is not on the page, and nothing is written."""
    client.force_login(person)
    before = db_state()
    for method in case.methods:
        response = send(client, method, scene.urls[key], case.data(scene))
        assert response.status_code == 404, method
        if secret is not None:
            assert secret not in content(response).decode()
    assert db_state() == before


def check_reader(client, person, case, scene) -> None:
    client.force_login(person)
    response = client.get(scene.url)
    assert response.status_code == 200
    if case.shows:
        assert case.shows in response.content.decode()
    if case.get_check:
        case.get_check(scene, response)


def check_signed_out(client, case, scene, db_state: Callable[[], dict]) -> None:
    before = db_state()
    response = send(client, case.methods[-1], scene.url, case.data(scene))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login") + "?next=")
    assert db_state() == before
