"""The shared machinery of the per-view permission tables (tests/*/test_views_*.py): each
module lists its views as cases with a `build(getfixturevalue)` that sets the scene."""

import pytest


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
