"""`make bench` sends each page only to personas who have something of the kind to open: a
persona with none (a Welsh trust's staff see no joint projects) would fail every request."""

from bench.national import PAGES, page_requesters


def _persona(email: str, **lists) -> dict:
    persona = {"email": email, "projects": ["p"], "ideas": ["i"], "vote_ideas": ["v"]}
    return persona | {"comment_ideas": ["c"], "tracker": None} | lists


def test_a_persona_without_projects_requests_every_page_but_a_project_page():
    personas = [_persona("wales@example.org", projects=[]), _persona("las@example.org")]
    requesters = page_requesters(personas)
    assert requesters["project_page"] == ["las@example.org"]
    for page in ("ceiling", "dashboard", "project_list", "idea_list", "idea_page", "vote"):
        assert "wales@example.org" in requesters[page]


def test_only_programme_admins_request_the_tracker():
    personas = [_persona("staff@example.org"), _persona("admin@example.org", tracker="south")]
    assert page_requesters(personas)["tracker"] == ["admin@example.org"]


def test_every_page_has_requesters_listed():
    assert set(page_requesters([_persona("a@example.org")])) == {key for key, _ in PAGES}
