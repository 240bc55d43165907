"""Test settings: fast hashing, mail kept in memory, django-q2 tasks run inline.

django-q2 reads Q_CLUSTER once at import, so sync mode must be set here rather than
with pytest's `settings` fixture.
"""

import os

os.environ.setdefault("Q_SYNC", "true")
os.environ.setdefault("DEBUG", "true")

from portal.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Query counts are pinned in the tests and must be the same on both CI passes; with
# REDIS_URL the production settings read sessions from Redis, one query fewer.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# One process: the memory cache is shared by everything a test runs (tasks run inline),
# and tests/conftest.py empties it before each test.
if not REDIS_URL:  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The suite posts Check now many times as the same few users, in one process whose
# cache outlives each test's database; tests/review/test_check_now_rate.py sets its own.
CHECK_NOW_PER_WINDOW = 1000
# Templates only the tests render (tests/portal/test_fragments.py).
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "fixtures" / "templates"]  # noqa: F405
