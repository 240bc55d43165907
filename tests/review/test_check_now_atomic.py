"""The Check now counter holds when many requests arrive at once, on `make run`'s cache too.

`make run` keeps its cache in a folder (FileBasedCache), whose incr is a get then a set:
counted there, concurrent Check nows read the same number and more than the limit went
through. The count is a database row now (review.check_now_count); these threads run
with the folder cache configured, as `make run` does, and still only the limit passes.
"""

import pytest

from review.models import CheckNowCount
from review.views import check as check_views
from tests.races import race

pytestmark = [pytest.mark.file_database, pytest.mark.django_db(transaction=True)]
THREADS = 12
CALLS_EACH = 4
LIMIT = 5


@pytest.fixture
def folder_cache(settings, tmp_path):
    """The cache `make run` has: a folder (portal/settings.py without REDIS_URL)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}}


@pytest.fixture(autouse=True)
def one_window(monkeypatch):
    monkeypatch.setattr(check_views, "clock", lambda: check_views.CHECK_NOW_WINDOW_SECONDS * 1000 + 1.0)
    monkeypatch.setattr(check_views, "CHECK_NOW_LIMIT", LIMIT)


def _at_once(call):
    """CALLS_EACH calls in each of THREADS threads released together: every result, or the error a thread stopped at."""
    outcomes = race([lambda: [call() for _ in range(CALLS_EACH)]] * THREADS)
    return [w for outcome in outcomes for w in (outcome if isinstance(outcome, list) else [outcome])]


def test_concurrent_check_nows_on_the_folder_cache_let_only_the_limit_through(folder_cache, alice):
    waits = _at_once(lambda: check_views.check_now_wait(alice))
    assert not [w for w in waits if isinstance(w, Exception)], waits
    assert len(waits) == THREADS * CALLS_EACH
    assert waits.count(0) == LIMIT, waits
    assert CheckNowCount.objects.get(user=alice).count == THREADS * CALLS_EACH  # not one increment lost


def test_a_new_window_starts_from_zero_and_forgets_the_old_rows(alice, monkeypatch):
    window = check_views.CHECK_NOW_WINDOW_SECONDS
    for _ in range(LIMIT + 1):
        check_views.check_now_wait(alice)
    assert check_views.check_now_wait(alice) > 0
    monkeypatch.setattr(check_views, "clock", lambda: window * 1001 + 1.0)
    assert check_views.check_now_wait(alice) == 0
    assert list(CheckNowCount.objects.filter(user=alice).values_list("window", "count")) == [(1001, 1)]
