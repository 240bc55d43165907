"""The Check now counter: one per user and fixed window, atomic on every database and cache.

The count was a cache key moved by add + incr. That is atomic on Redis (INCRBY) and on
the memory cache (under its lock), but `make run`'s cache is a folder (FileBasedCache),
whose incr is a get then a set: two Check nows at once read the same number and both
passed. django-ratelimit would not help, as it counts with the same cache incr (its docs
ask for a cache with an atomic incr). So the count is a database row (review.CheckNowCount)
moved by one UPDATE ... SET count = count + 1, which SQLite (one writer at a time, IMMEDIATE
transactions) and PostgreSQL (the row's lock until commit) both apply one after another,
whatever cache is configured.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from review.models import CheckNowCount


def count_check_now(user, window: int) -> int:
    """Add one to this user's count in `window` and return it: concurrent calls get different numbers."""
    rows = CheckNowCount.objects.filter(user=user, window=window)
    with transaction.atomic():
        # INSERT ... ON CONFLICT DO NOTHING: the first request of a window creates the row,
        # the others find it; no read-then-insert race and no IntegrityError to catch.
        CheckNowCount.objects.bulk_create([CheckNowCount(user=user, window=window)], ignore_conflicts=True)
        rows.update(count=F("count") + 1)
        # Read inside the same transaction: the row stays locked (PostgreSQL) or the
        # database stays ours (SQLite) until commit, so no other increment lands in between.
        count = rows.values_list("count", flat=True).get()
    # Earlier windows are never read again; the user has at most one row left.
    CheckNowCount.objects.filter(user=user, window__lt=window).delete()
    return count
