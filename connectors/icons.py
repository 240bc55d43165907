"""A submission's icons, served from its snapshot zip through the Django cache.

A snapshot never changes (its content_hash covers every file, icons included), so an
icon read once can be kept by hash and key: the zip, up to 20 MiB, is not unpacked
again for every <img> of the Data Center.
"""

from __future__ import annotations

from django.core.cache import cache

from connectors import selectors
from connectors.bundle.errors import BundleError
from connectors.bundle.reader import read_bundle
from connectors.bundle.types import ICONS

CACHE_SECONDS = 24 * 60 * 60
# What the cache holds for "this snapshot has no such icon": a miss must not mean
# re-reading the zip on every request for a broken or empty snapshot either.
_MISSING = b""


def icon_cache_key(content_hash: str, key: str) -> str:
    return f"submission-icon:v1:{content_hash}:{key}"


def submission_icon(*, pk: int, content_hash: str, key: str) -> bytes | None:
    """The PNG bytes of icon `key` (a key of ICONS) of submission `pk`, or None.

    The caller has checked access (selectors.submission_icon_source).
    """
    if key not in ICONS:
        return None
    cache_key = icon_cache_key(content_hash, key)
    data = cache.get(cache_key)
    if data is None:
        data = _read_icon(pk, key)
        cache.set(cache_key, data, CACHE_SECONDS)
    return data or None


def _read_icon(pk: int, key: str) -> bytes:
    raw = selectors.submission_bundle_bytes(pk)
    if not raw:
        return _MISSING
    try:
        return read_bundle(raw).icon(key) or _MISSING
    except BundleError:
        # A snapshot was valid when frozen; if it cannot be read now, show no icon
        # rather than an error page inside someone's <img>.
        return _MISSING
