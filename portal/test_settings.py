"""Test settings: fast hashing, mail kept in memory, django-q2 tasks run inline.

django-q2 reads Q_CLUSTER once at import, so sync mode must be set here rather than
with pytest's `settings` fixture.
"""

import os
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("Q_SYNC", "true")
os.environ.setdefault("DEBUG", "true")

from portal.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Query counts are pinned in the tests and must be the same on both CI passes; with
# REDIS_URL the production settings read sessions from Redis, one query fewer.
SESSION_ENGINE = "django.contrib.sessions.backends.db"


def _worker_redis_url(url: str, worker: str) -> str:
    """The Redis database of this pytest-xdist worker: gw0 gets the URL's own number,
    gw1 the next one, and so on (Redis has 16). The tests empty the cache with FLUSHDB
    and each worker's qcluster test reads its broker's queue, so no two workers share one.
    A qcluster subprocess inherits PYTEST_XDIST_WORKER and lands on the same database."""
    index = int(worker.removeprefix("gw"))
    if index >= 16:
        raise RuntimeError("More than 16 pytest-xdist workers with REDIS_URL: Redis has 16 databases.")
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(base + index) % 16}"))


if REDIS_URL and os.environ.get("PYTEST_XDIST_WORKER"):  # noqa: F405
    REDIS_URL = _worker_redis_url(REDIS_URL, os.environ["PYTEST_XDIST_WORKER"])  # noqa: F405
    CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
    Q_CLUSTER["redis"] = REDIS_URL  # noqa: F405
# One process: the memory cache is shared by everything a test runs (tasks run inline),
# and tests/conftest.py empties it before each test.
if not REDIS_URL:  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The suite posts Check now many times as the same few users; tests/review/test_check_now_rate.py
# and test_check_now_atomic.py set their own.
CHECK_NOW_PER_WINDOW = 1000
# Many tests create queued submissions of one user; tests/review/test_fair_queue_*.py set their own caps.
REVIEW_QUEUE_PER_USER = REVIEW_QUEUE_PER_COMPANY = REVIEW_RUNNING_PER_USER = 1000
# Templates only the tests render (tests/portal/test_fragments.py).
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "fixtures" / "templates"]  # noqa: F405
# Live runs may reach the tests' local APIs through LIVE_RUN_HOST_MAP (runs/checks.py).
LIVE_RUN_HOST_MAP_IN_TESTS = True
