"""Cached parts of the busiest pages, and the generations that make them stale (issue 7).

A part of a page that costs many queries and a long template (the commitment tracker's grid,
a campaign's list of ideas) is rendered once and kept in Redis under a key that names
everything the part shows (the day, the object, the query string, and whatever of the viewer
it depends on), together with the generation of its area (ideas, projects, notifications, or
access: which campaigns each trust sees) and of any narrower scope it names (one person's
notifications); it is read with them in one round trip. A part personal to the viewer (the
header, with their name and unread count) is keyed on them; a form's CSRF token is a slot
filled for each viewer (`with_csrf_token`).

Every audited change gives its area a new generation once its transaction commits, and, if
the same thread reads the page cache before then, just before that read: `collab.audit.
audit_record` calls `content_changed`, and every service and the admin audit their changes in
the transaction that makes them. Nothing cached before the change is read again. The
generation is read before the part is rendered, so a part rendered from data older than a
change can only be stored under a generation the change has replaced.

If Redis does not answer, the part is rendered as if nothing were cached: a page never fails
because of its cache. Parts expire after PART_SECONDS, which also bounds how long a change
could go unseen if Redis missed a new generation while it was down.
"""

import logging
import threading
import uuid
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from hashlib import sha256
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import models, transaction
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

IDEAS = "ideas"
PROJECTS = "projects"
# Each person's unread count for the header: renewed for one person at a time, through
# their own scope (`scopes_changed`), and for everyone by `new_generations()`.
NOTIFICATIONS = "notifications"
# Who may see what: which campaigns each trust's staff see. It changes only with campaigns,
# memberships and roles, so votes and comments (the ideas area) leave it alone.
ACCESS = "access"
PAGE_AREAS = (IDEAS, PROJECTS)
ALL_AREAS = (*PAGE_AREAS, NOTIFICATIONS, ACCESS)
# Which cached parts a change can touch, by the model or else the app of what changed. Trusts,
# collaborations, memberships and people (collab) appear everywhere, and so does anything not
# listed.
_AREAS_OF_MODEL = {
    "wellbeing.campaign": (IDEAS, ACCESS),
}
_AREAS_OF_APP = {
    "wellbeing": (IDEAS,),
    "projects": (PROJECTS,),
    "procurement": (PROJECTS,),
}
_AREAS_OF_ANYTHING_ELSE = (*PAGE_AREAS, ACCESS)
PART_SECONDS = 300
# A scope's generation outlives every part cached under it; after it expires a new one starts.
SCOPE_SECONDS = 24 * 60 * 60
# What {% csrf_token %} renders in a part cached for everyone; `with_csrf_token` puts the
# viewer's own token in its place. People's text is escaped, so it can never contain the quotes
# around the slot's value: only the tag's own markup matches.
_CSRF_SLOT = "csrf-token-of-the-viewer"
_CSRF_SLOT_INPUT = format_html(
    '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', _CSRF_SLOT
)
T = TypeVar("T")
# What this thread changed before its transaction commits (content_changed).
_changed_here = threading.local()


def _generation_key(area: str) -> str:
    return f"page-cache:generation:{area}"


def areas_changed_by(changed: models.Model) -> tuple[str, ...]:
    meta = changed._meta
    return _AREAS_OF_MODEL.get(meta.label_lower) or _AREAS_OF_APP.get(
        meta.app_label, _AREAS_OF_ANYTHING_ELSE
    )


def content_changed(target: models.Model, *context: models.Model) -> None:
    """Call in the transaction that changes `target`: the areas of the target and of its
    `context` (the idea a comment is on) get new generations when the transaction commits,
    which discards anything any process cached from the data as it was before the commit.

    Until then, the next read of the page cache in this thread renews them first
    (`_renew_changed_here`), so this request (and a test, whose transaction never commits)
    never reads what was cached before the change. A write that reads nothing cached before
    its commit (a vote, a comment) so makes one round trip to Redis for it, not two (issue 7).

    Who may see what (the access area) changes only with the target itself: a vote's campaign
    shows new counts, but nobody sees more or less of it."""
    areas = set(areas_changed_by(target))
    for where in context:
        areas.update(area for area in areas_changed_by(where) if area != ACCESS)
    areas = sorted(areas)
    _changed_here_areas().update(areas)
    transaction.on_commit(partial(_renew_committed, areas), robust=True)


def _changed_here_areas() -> set[str]:
    """The areas this thread changed and has not renewed yet."""
    areas = getattr(_changed_here, "areas", None)
    if areas is None:
        areas = _changed_here.areas = set()
    return areas


def _renew_committed(areas: list[str]) -> None:
    _changed_here_areas().difference_update(areas)
    new_generations(areas)


def _renew_changed_here() -> None:
    """Renews what this thread changed, before it reads the cache. After a rollback, what it
    renews was not changed after all: one more renewal, which only costs cache misses."""
    areas = _changed_here_areas()
    if areas:
        renewed = sorted(areas)
        areas.clear()
        new_generations(renewed)


def scopes_changed(*scopes: str) -> None:
    """`content_changed` for narrower generations than an area's, named by the caller (one
    person's notifications): call in the transaction of the change."""
    new_generations(scopes, timeout=SCOPE_SECONDS)
    transaction.on_commit(partial(new_generations, scopes, timeout=SCOPE_SECONDS), robust=True)


def new_generations(areas: Iterable[str] = ALL_AREAS, timeout: int | None = None) -> None:
    """Makes every cached part of `areas` stale (also after data is loaded in bulk)."""
    try:
        cache.set_many({_generation_key(area): uuid.uuid4().hex for area in areas}, timeout)
    except Exception:
        logger.exception("Could not renew the page cache's generations of %s", list(areas))


def _start_generation(key: str, timeout: int | None) -> str:
    """The first reader after Redis lost a generation starts one (another reader may have
    started one first; theirs stands)."""
    cache.add(key, uuid.uuid4().hex, timeout=timeout)
    return cache.get(key)


@dataclass(frozen=True)
class CachedPart:
    """One value for `cached_values`: the area whose changes make it stale (and any narrower
    `scopes`), its name, what it varies on, and how to compute it."""

    area: str
    name: str
    vary_on: Iterable[Hashable]
    compute: Callable[[], Any]
    scopes: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        digest = sha256(repr(tuple(self.vary_on)).encode()).hexdigest()
        return f"page-cache:{self.name}:{digest}"

    @property
    def generation_keys(self) -> tuple[str, ...]:
        return (_generation_key(self.area), *(_generation_key(scope) for scope in self.scopes))


def cached_values(parts: Sequence[CachedPart]) -> list:
    """What each part's `compute()` returns, from the cache when it was computed for the same
    generations of its area and scopes and the same `vary_on`; `compute` runs only on a miss.
    Values are pickled.

    Each value is kept with the generations it was computed under, and all of them are read
    together with the current generations: one round trip to Redis however many parts a page
    has, whatever their areas. A value of older generations is a miss, and is replaced."""
    _renew_changed_here()
    keys = [part.key for part in parts]
    names = [part.name for part in parts]
    # Each generation to read, with how long it lasts if it must be started: scopes' expire
    # (SCOPE_SECONDS), areas' do not.
    timeouts: dict[str, int | None] = {}
    for part in parts:
        area_key, *scope_keys = part.generation_keys
        timeouts.setdefault(area_key, None)
        for scope_key in scope_keys:
            timeouts.setdefault(scope_key, SCOPE_SECONDS)
    try:
        found = cache.get_many([*timeouts, *keys])
        current = {
            key: found.get(key) or _start_generation(key, timeout)
            for key, timeout in timeouts.items()
        }
    except Exception:
        logger.warning("The page cache is not answering; computing %s", names, exc_info=True)
        return [part.compute() for part in parts]
    values, missed = [], {}
    for key, part in zip(keys, parts, strict=True):
        generations = tuple(current[generation_key] for generation_key in part.generation_keys)
        kept = found.get(key)
        if kept is not None and kept[0] == generations:
            values.append(kept[1])
            continue
        value = part.compute()
        values.append(value)
        missed[key] = (generations, value)
    if missed:
        try:
            cache.set_many(missed, timeout=PART_SECONDS)
        except Exception:
            logger.warning("Could not keep %s in the page cache", names, exc_info=True)
    return values


def cached_value(
    area: str,
    name: str,
    vary_on: Iterable[Hashable],
    compute: Callable[[], T],
    *,
    scopes: Iterable[str] = (),
) -> T:
    """One value, cached as `cached_values` caches."""
    return cached_values([CachedPart(area, name, vary_on, compute, tuple(scopes))])[0]


def cached_part(
    area: str, name: str, vary_on: Iterable[Hashable], render: Callable[[], str]
) -> SafeString:
    """The HTML `render()` returns, cached as `cached_value` caches."""
    return mark_safe(cached_value(area, name, vary_on, render))  # noqa: S308 - our template


def cached_parts(
    area: str, name: str, vary_on: Iterable[Hashable], render: Callable[[], tuple[str, ...]]
) -> tuple[SafeString, ...]:
    """Several parts of one page that vary on the same things, kept under one key (one round
    trip to Redis for all of them)."""
    parts = cached_value(area, name, vary_on, render)
    return tuple(mark_safe(part) for part in parts)  # noqa: S308 - our templates


def render_with_csrf_slot(template_name: str, context: dict) -> str:
    """A part with forms, rendered for everyone: each form's CSRF token is a slot that
    `with_csrf_token` fills for the viewer."""
    return render_to_string(template_name, {**context, "csrf_token": _CSRF_SLOT})


def with_csrf_token(part: str, request: HttpRequest) -> SafeString:
    """`part` (from `render_with_csrf_slot`) with the viewer's CSRF token in every form."""
    return mark_safe(part.replace(_CSRF_SLOT_INPUT, _csrf_input(request)))  # noqa: S308 - our template


def _csrf_input(request: HttpRequest) -> str:
    """The viewer's token field, made once a request (and again if the token is rotated): a
    page fills several parts' slots, and each `get_token` masks the token afresh with 32
    random characters (issue 7)."""
    made = getattr(request, "_csrf_slot_input", None)
    if made is not None and made[0] == request.META.get("CSRF_COOKIE"):
        return made[1]
    token_input = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
    request._csrf_slot_input = (request.META.get("CSRF_COOKIE"), token_input)
    return token_input
