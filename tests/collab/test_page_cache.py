"""The page cache (collab.page_cache): a part is rendered once per generation of its area and
per everything it varies on, and an audited change makes its area's parts stale."""

import pytest
from django.core.cache import cache
from django.db import transaction

from collab.audit import audit_record
from collab.page_cache import (
    ACCESS,
    IDEAS,
    PROJECTS,
    CachedPart,
    cached_part,
    cached_values,
    content_changed,
    new_generations,
)
from tests.factories import TrustFactory
from wellbeing.models import Campaign, Idea


class Renderer:
    """Counts how often a part is really rendered."""

    def __init__(self, html: str = "<p>part</p>") -> None:
        self.html = html
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return self.html


def test_a_part_is_rendered_once_for_the_same_inputs():
    render = Renderer()
    first = cached_part(PROJECTS, "test-part", ("a", 1), render)
    again = cached_part(PROJECTS, "test-part", ("a", 1), render)
    assert (first, again, render.calls) == ("<p>part</p>", "<p>part</p>", 1)


def test_each_input_it_varies_on_has_its_own_part():
    render = Renderer()
    cached_part(PROJECTS, "test-part", ("a", 1), render)
    cached_part(PROJECTS, "test-part", ("a", 2), render)
    cached_part(PROJECTS, "other-part", ("a", 1), render)
    assert render.calls == 3


def test_a_part_from_the_cache_is_still_safe_html():
    cached_part(PROJECTS, "test-part", ("safe",), Renderer("<b>x</b>"))
    html = cached_part(PROJECTS, "test-part", ("safe",), Renderer("<b>x</b>"))
    assert hasattr(html, "__html__")


def _audited_change(target) -> None:
    audit_record(actor=None, action="test.changed", target=target)


@pytest.mark.django_db
def test_a_change_makes_only_the_parts_of_its_area_stale(django_capture_on_commit_callbacks):
    ideas_part, projects_part = Renderer(), Renderer()
    cached_part(IDEAS, "test-ideas", (), ideas_part)
    cached_part(PROJECTS, "test-projects", (), projects_part)

    with django_capture_on_commit_callbacks(execute=True):
        content_changed(Campaign(title="Staff wellbeing"))

    cached_part(IDEAS, "test-ideas", (), ideas_part)
    cached_part(PROJECTS, "test-projects", (), projects_part)
    # A campaign is part of the ideas area: the projects' parts are still good.
    assert (ideas_part.calls, projects_part.calls) == (2, 1)


@pytest.mark.django_db
def test_who_sees_what_changes_with_a_campaign_but_not_with_its_ideas(
    django_capture_on_commit_callbacks,
):
    """The access area (which campaigns each trust sees) is renewed when a campaign is the
    target of a change, not when it is only where an idea changed."""
    campaign = Campaign(title="Staff wellbeing")
    access_part = Renderer()
    cached_part(ACCESS, "test-access", (), access_part)

    with django_capture_on_commit_callbacks(execute=True):
        content_changed(Idea(title="Hot food"), campaign)
    cached_part(ACCESS, "test-access", (), access_part)
    assert access_part.calls == 1

    with django_capture_on_commit_callbacks(execute=True):
        content_changed(campaign)
    cached_part(ACCESS, "test-access", (), access_part)
    assert access_part.calls == 2


@pytest.mark.django_db
def test_an_audited_change_to_a_trust_makes_every_part_stale(django_capture_on_commit_callbacks):
    trust = TrustFactory()
    ideas_part, projects_part = Renderer(), Renderer()
    cached_part(IDEAS, "test-ideas", (), ideas_part)
    cached_part(PROJECTS, "test-projects", (), projects_part)

    with django_capture_on_commit_callbacks(execute=True):
        _audited_change(trust)

    cached_part(IDEAS, "test-ideas", (), ideas_part)
    cached_part(PROJECTS, "test-projects", (), projects_part)
    assert (ideas_part.calls, projects_part.calls) == (2, 2)


@pytest.mark.django_db(transaction=True)
def test_a_part_cached_from_data_older_than_a_commit_is_not_read_after_it():
    """Another request renders the part while a change is being made: what it stores is keyed
    by the generation it read before rendering, which the commit replaces."""
    trust = TrustFactory()
    with transaction.atomic():
        _audited_change(trust)
        # Between the change and its commit, a request renders from the data as it was.
        cached_part(PROJECTS, "test-race", (), Renderer("<p>before the change</p>"))
    after = cached_part(PROJECTS, "test-race", (), Renderer("<p>after the change</p>"))
    assert after == "<p>after the change</p>"


def test_parts_are_stale_after_data_is_loaded_in_bulk():
    render = Renderer()
    cached_part(PROJECTS, "test-part", ("bulk",), render)
    new_generations()
    cached_part(PROJECTS, "test-part", ("bulk",), render)
    assert render.calls == 2


def test_the_page_still_renders_when_redis_does_not_answer(monkeypatch):
    def not_answering(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get", not_answering)
    monkeypatch.setattr(cache, "get_many", not_answering)
    monkeypatch.setattr(cache, "set", not_answering)
    monkeypatch.setattr(cache, "add", not_answering)
    monkeypatch.setattr(cache, "set_many", not_answering)
    render = Renderer()
    assert cached_part(PROJECTS, "test-part", ("down",), render) == "<p>part</p>"
    assert cached_part(PROJECTS, "test-part", ("down",), render) == "<p>part</p>"
    assert render.calls == 2


def test_a_part_from_the_cache_takes_one_round_trip_to_redis(monkeypatch):
    render = Renderer()
    cached_part(PROJECTS, "test-part", ("trips",), render)
    trips = []
    for method in ("get", "get_many", "set", "add"):
        original = getattr(cache, method)
        monkeypatch.setattr(
            cache, method, lambda *a, _m=method, _o=original, **k: trips.append(_m) or _o(*a, **k)
        )

    assert cached_part(PROJECTS, "test-part", ("trips",), render) == "<p>part</p>"
    assert (trips, render.calls) == (["get_many"], 1)


def test_a_part_of_an_older_generation_is_replaced():
    cached_part(PROJECTS, "test-part", ("old",), Renderer("<p>old</p>"))
    new_generations([PROJECTS])
    assert cached_part(PROJECTS, "test-part", ("old",), Renderer("<p>new</p>")) == "<p>new</p>"
    assert cached_part(PROJECTS, "test-part", ("old",), Renderer("<p>newer</p>")) == "<p>new</p>"


def test_parts_read_together_take_one_round_trip_and_only_a_missing_one_is_rendered(
    monkeypatch,
):
    first, second = Renderer("<p>first</p>"), Renderer("<p>second</p>")
    cached_values([CachedPart(PROJECTS, "test-first", ("together",), first)])
    trips = []
    for method in ("get", "get_many", "set", "set_many", "add"):
        original = getattr(cache, method)
        monkeypatch.setattr(
            cache, method, lambda *a, _m=method, _o=original, **k: trips.append(_m) or _o(*a, **k)
        )

    parts = [
        CachedPart(PROJECTS, "test-first", ("together",), first),
        CachedPart(PROJECTS, "test-second", ("together",), second),
    ]
    assert cached_values(parts) == ["<p>first</p>", "<p>second</p>"]
    assert (trips, first.calls, second.calls) == (["get_many", "set_many"], 1, 1)

    trips.clear()
    assert cached_values(parts) == ["<p>first</p>", "<p>second</p>"]
    assert (trips, first.calls, second.calls) == (["get_many"], 1, 1)


def test_parts_read_together_are_all_stale_after_a_change_of_their_area():
    parts = [
        CachedPart(PROJECTS, f"test-{n}", ("stale",), Renderer(f"<p>{n}</p>")) for n in range(2)
    ]
    cached_values(parts)
    new_generations([PROJECTS])
    cached_values(parts)
    assert [part.compute.calls for part in parts] == [2, 2]


def test_parts_are_rendered_when_redis_cannot_keep_them(monkeypatch):
    def not_answering(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "set_many", not_answering)
    render = Renderer()
    parts = [CachedPart(PROJECTS, "test-part", ("cannot-keep",), render)]
    assert cached_values(parts) == ["<p>part</p>"]
    assert cached_values(parts) == ["<p>part</p>"]
    assert render.calls == 2


def test_parts_of_different_areas_and_scopes_share_a_round_trip_and_go_stale_by_their_own(
    monkeypatch,
):
    ideas, projects = Renderer("<p>ideas</p>"), Renderer("<p>projects</p>")
    scoped = Renderer("<p>one person's</p>")
    parts = [
        CachedPart(IDEAS, "test-ideas", ("mixed",), ideas),
        CachedPart(PROJECTS, "test-projects", ("mixed",), projects),
        CachedPart(PROJECTS, "test-scoped", ("mixed",), scoped, ("test-scope-of:1",)),
    ]
    assert cached_values(parts) == ["<p>ideas</p>", "<p>projects</p>", "<p>one person's</p>"]
    trips = []
    original = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: trips.append(keys) or original(keys))
    cached_values(parts)
    assert len(trips) == 1
    assert (ideas.calls, projects.calls, scoped.calls) == (1, 1, 1)

    new_generations(["test-scope-of:1"])
    cached_values(parts)
    assert (ideas.calls, projects.calls, scoped.calls) == (1, 1, 2)
    new_generations([IDEAS])
    cached_values(parts)
    assert (ideas.calls, projects.calls, scoped.calls) == (2, 1, 2)


def _generations_written(monkeypatch) -> list[list[str]]:
    """From now on, the areas each write of generations renews."""
    written: list[list[str]] = []
    original = cache.set_many

    def set_many(data, *args, **kwargs):
        areas = [key.rsplit(":", 1)[1] for key in data if key.startswith("page-cache:generation:")]
        if areas:
            written.append(areas)
        return original(data, *args, **kwargs)

    monkeypatch.setattr(cache, "set_many", set_many)
    return written


@pytest.mark.django_db
def test_a_read_after_a_change_in_the_same_transaction_is_fresh(monkeypatch):
    """The test's transaction never commits: the read itself renews what was changed."""
    ideas_part = Renderer()
    cached_part(IDEAS, "test-ideas", (), ideas_part)
    written = _generations_written(monkeypatch)

    content_changed(Campaign(title="Staff wellbeing"))
    assert written == [], "nothing renewed until a read or the commit"
    cached_part(IDEAS, "test-ideas", (), ideas_part)
    cached_part(IDEAS, "test-ideas", (), ideas_part)

    assert written == [[ACCESS, IDEAS]]
    assert ideas_part.calls == 2, "rendered again after the change, then read from the cache"


@pytest.mark.django_db
def test_a_change_nobody_reads_before_its_commit_is_renewed_once(
    monkeypatch, django_capture_on_commit_callbacks
):
    """A vote or a comment: one write of the generations, when the transaction commits; the
    next read does not renew them again, so what others cached since stays good."""
    ideas_part = Renderer()
    written = _generations_written(monkeypatch)

    with django_capture_on_commit_callbacks(execute=True):
        content_changed(Idea(title="Hot food"), Campaign(title="Staff wellbeing"))
    cached_part(IDEAS, "test-ideas", (), ideas_part)
    cached_part(IDEAS, "test-ideas", (), ideas_part)

    assert written == [[IDEAS]]
    assert ideas_part.calls == 1


@pytest.mark.django_db(transaction=True)
def test_a_change_rolled_back_costs_one_more_renewal_and_nothing_stale(monkeypatch):
    ideas_part = Renderer()
    cached_part(IDEAS, "test-ideas", (), ideas_part)
    written = _generations_written(monkeypatch)

    with pytest.raises(RuntimeError), transaction.atomic():
        content_changed(Campaign(title="Staff wellbeing"))
        raise RuntimeError("refused")
    cached_part(IDEAS, "test-ideas", (), ideas_part)
    cached_part(IDEAS, "test-ideas", (), ideas_part)

    assert written == [[ACCESS, IDEAS]]
    assert ideas_part.calls == 2
