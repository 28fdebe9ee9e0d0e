"""`make bench` sends each page only to personas who have something of the kind to open: a
persona with none (a Welsh trust's staff see no joint projects) would fail every request."""

from bench.national import PAGES, first_visit_paths, page_requesters


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


def test_first_visits_open_every_project_and_idea_page_of_a_persona():
    persona = _persona("las@example.org", projects=["ai-triage", "fleet"], ideas=["1", "2"])
    assert first_visit_paths(persona) == [
        ("project_page", "/projects/ai-triage/"),
        ("project_page", "/projects/fleet/"),
        ("idea_page", "/ideas/1/"),
        ("idea_page", "/ideas/2/"),
    ]
