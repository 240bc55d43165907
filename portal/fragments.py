"""A page's heavy part, rendered once and served from the cache until what it shows changes.

What a part shows is named by scopes ("submission:12", "connector:4", "company:3",
"data-center"; connectors/page_scopes.py). Each scope has a generation in the cache;
whatever writes data a scope shows calls `changed(scope)`, which gives the scope a new
generation. A part is stored with the generations it was rendered at and read with the
current ones in one round trip; when they differ it is rendered again. A missing
generation (evicted, Redis restarted) is simply a new one: the worst case is a render.

`changed` moves the generation twice: at once, so the writing request (and a test inside
one transaction) reads its own change, and again after the commit, so a render made by
another request between the two, from the data before the commit, is not kept.

The cache must be shared by every process that writes (the web workers and the review
worker): Redis in production, a folder on disk by default (portal/settings.py). When it
does not answer, pages are rendered afresh and writes go on (both logged).

CSRF: a cached part may hold forms, but each visitor's token is their own. A part is
rendered with a marker in place of the token, new and random for that render, and kept
as the pieces between the markers: the positions of its own {% csrf_token %} tags are
recorded at render time, and each response joins the pieces with the visitor's token.
Nothing is searched and replaced in the served HTML, so text that came from content (a
connector's script that copies a marker, an old one or any other) is never touched.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

# A part also expires on its own: a safety net for a change whose second bump was lost
# (the process died between the commit and the bump), and the bound on anything a part
# shows that moves with the clock ("3 hours ago", "overdue").
PART_SECONDS = 60
GENERATION_SECONDS = 60 * 60 * 24
logger = logging.getLogger(__name__)


@memoize
def key_prefix() -> str:
    """The keys' prefix, naming this database: a cache that outlives its database (a
    deleted db.sqlite3, a bench's throw-away one, a restore elsewhere) must not answer
    for the new one's rows, whose primary keys start again at 1. The database is named
    by when its first migration was applied; read once per process."""
    from django.db.migrations.recorder import MigrationRecorder

    first = MigrationRecorder.Migration.objects.order_by("pk").values_list("applied", flat=True).first()
    return f"fragments:v1:{first.timestamp() if first else 0}"


def _generation_key(scope: str) -> str:
    return f"{key_prefix()}:generation:{scope}"


def _new_generation() -> str:
    return secrets.token_hex(8)


def changed(*scopes: str) -> None:
    """What these scopes show has changed (call it inside the writing transaction)."""
    scopes = tuple(dict.fromkeys(s for s in scopes if s))
    if not scopes:
        return

    def bump():
        try:
            cache.set_many({_generation_key(s): _new_generation() for s in scopes}, GENERATION_SECONDS)
        except Exception:  # noqa: BLE001 - a cache outage must not fail the write that changed the data
            logger.exception("Could not move the generations of %s: their cached parts may show older "
                             "data until they expire (%s s)", ", ".join(scopes), PART_SECONDS)

    bump()
    transaction.on_commit(bump)


def _current(keys: list[str], found: dict) -> tuple:
    """The generations under `keys` (read into `found`); missing ones are made."""
    for key in keys:
        if key not in found:
            # add: a generation another process set in the meantime wins over ours.
            made = _new_generation()
            found[key] = made if cache.add(key, made, GENERATION_SECONDS) else cache.get(key, made)
    return tuple(found[k] for k in keys)


def _cached(*, scopes: Iterable[str], key: tuple, compute: Callable[[], object],
                 seconds: int = PART_SECONDS):
    """compute(), from the cache while the scopes have not changed (None is not kept).

    One round trip: the value is stored with the generations it was computed at, and read
    with the current ones."""
    scopes = tuple(scopes)
    generation_keys = [_generation_key(s) for s in scopes]
    digest = hashlib.sha256(repr((scopes, key)).encode()).hexdigest()
    value_key = f"{key_prefix()}:value:{digest}"
    try:
        found = cache.get_many([*generation_keys, value_key])
        stored = found.pop(value_key, None)
        current = _current(generation_keys, found)
    except Exception:  # noqa: BLE001 - without the cache the page is slower, not broken
        logger.warning("The cache did not answer; computing %s afresh", key, exc_info=True)
        return compute()
    if stored is not None and stored[0] == current:
        return stored[1]
    value = compute()
    if value is not None:
        try:
            cache.set(value_key, (current, value), seconds)
        except Exception:  # noqa: BLE001
            logger.warning("The cache did not keep %s", key, exc_info=True)
    return value


def cached_part(request, template_name: str, *, scopes: Iterable[str], key: tuple,
                context: Callable[[], dict], seconds: int = PART_SECONDS) -> SafeString:
    """`template_name` rendered with `context()`, from the cache while the scopes have not
    changed. `key` holds everything else the part depends on (query parameters, flags that
    move with the clock or the visitor); `context` is called only when the cache misses."""

    def render() -> tuple[str, ...]:
        # The marker is made before the content is read, so no content can spell it.
        marker = secrets.token_hex(32)
        html = str(render_to_string(template_name, {**context(), "csrf_token": marker}, request))
        return tuple(html.split(marker))

    if not settings.CACHED_PAGE_PARTS:  # the load bench's cold run, or to rule the cache out
        pieces = render()
    else:
        pieces = _cached(scopes=scopes, key=("part", template_name, key), seconds=seconds, compute=render)
    if len(pieces) == 1:
        return mark_safe(pieces[0])  # noqa: S308 - rendered by our own templates, escaped there
    return mark_safe(get_token(request).join(pieces))  # noqa: S308 - the same, joined at the tags' places
