"""Cached parts of the busiest pages, and the generations that make them stale (issue 7).

A part of a page that costs many queries and a long template (the commitment tracker's grid,
a campaign's list of ideas) is rendered once and kept in Redis under a key that names
everything the part shows: the generation of its area (ideas, or projects), the day, the
object, the query string, and whatever of the viewer it depends on. What is personal to the
viewer (their name in the header, the CSRF token of a form) stays outside the cached part.

Every audited change gives its area a new generation, when it is made and again once its
transaction commits: `collab.audit.audit_record` calls `content_changed`, and every service and
the admin audit their changes in the transaction that makes them. Nothing cached before the
change is read again. The generation is read before the part is rendered, so a part rendered
from data older than a change can only be stored under a generation the change has replaced.

If Redis does not answer, the part is rendered as if nothing were cached: a page never fails
because of its cache. Parts expire after PART_SECONDS, which also bounds how long a change
could go unseen if Redis missed a new generation while it was down.
"""

import logging
import uuid
from collections.abc import Callable, Hashable, Iterable
from functools import partial
from hashlib import sha256
from typing import TypeVar

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
ALL_AREAS = (IDEAS, PROJECTS)
# Which cached parts a change can touch, by the app of what changed. Trusts, collaborations,
# memberships and people (collab) appear everywhere, and so does anything not listed.
_AREAS_OF_APP = {
    "wellbeing": (IDEAS,),
    "projects": (PROJECTS,),
    "procurement": (PROJECTS,),
}
PART_SECONDS = 300
# What {% csrf_token %} renders in a part cached for everyone; `with_csrf_token` puts the
# viewer's own token in its place. People's text is escaped, so it can never contain the quotes
# around the slot's value: only the tag's own markup matches.
_CSRF_SLOT = "csrf-token-of-the-viewer"
_CSRF_SLOT_INPUT = format_html(
    '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', _CSRF_SLOT
)
T = TypeVar("T")


def _generation_key(area: str) -> str:
    return f"page-cache:generation:{area}"


def areas_changed_by(changed: models.Model) -> tuple[str, ...]:
    return _AREAS_OF_APP.get(changed._meta.app_label, ALL_AREAS)


def content_changed(*changed: models.Model) -> None:
    """Call in the transaction that changes `changed`: their areas get new generations now,
    and again when the transaction commits. The first keeps this process (and a test) from
    reading what it cached before the change; the second discards anything another request
    cached, between the two, from the data as it was before the commit."""
    areas = sorted({area for model in changed for area in areas_changed_by(model)})
    new_generations(areas)
    transaction.on_commit(partial(new_generations, areas), robust=True)


def new_generations(areas: Iterable[str] = ALL_AREAS) -> None:
    """Makes every cached part of `areas` stale (also after data is loaded in bulk)."""
    try:
        cache.set_many({_generation_key(area): uuid.uuid4().hex for area in areas}, timeout=None)
    except Exception:
        logger.exception("Could not renew the page cache's generations of %s", list(areas))


def _start_generation(area: str) -> str:
    """The first reader after Redis was emptied starts a generation (another reader may have
    started one first; theirs stands)."""
    key = _generation_key(area)
    cache.add(key, uuid.uuid4().hex, timeout=None)
    return cache.get(key)


def cached_value(area: str, name: str, vary_on: Iterable[Hashable], compute: Callable[[], T]) -> T:
    """What `compute()` returns, from the cache when it was computed for the same generation
    of `area` and the same `vary_on`; `compute` runs only on a miss. Values are pickled.

    The part is kept with the generation it was computed under, and read together with the
    area's current generation: one round trip to Redis. A part of an older generation is a
    miss, and is replaced."""
    digest = sha256(repr(tuple(vary_on)).encode()).hexdigest()
    key = f"page-cache:{name}:{digest}"
    generation_key = _generation_key(area)
    try:
        found = cache.get_many([generation_key, key])
        generation = found.get(generation_key) or _start_generation(area)
    except Exception:
        logger.warning("The page cache is not answering; computing %s", name, exc_info=True)
        return compute()
    kept = found.get(key)
    if kept is not None and kept[0] == generation:
        return kept[1]
    value = compute()
    try:
        cache.set(key, (generation, value), timeout=PART_SECONDS)
    except Exception:
        logger.warning("Could not keep %s in the page cache", name, exc_info=True)
    return value


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
    token_input = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
    return mark_safe(part.replace(_CSRF_SLOT_INPUT, token_input))  # noqa: S308 - our template
