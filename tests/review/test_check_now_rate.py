"""Check now is rate-limited per user: each one holds a worker for up to the review's CPU budget."""

import pytest
from django.urls import reverse

from review.views import check as check_views

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def one_window(monkeypatch):
    """Every request of a test falls in the same window, wherever the clock stands."""
    monkeypatch.setattr(check_views, "clock", lambda: check_views.CHECK_NOW_WINDOW_SECONDS * 1000 + 1.0)


def test_it_refuses_past_the_limit_and_says_when_to_try_again(client, alice, import_connector, monkeypatch, empty_cache):
    queued = []
    monkeypatch.setattr(check_views, "CHECK_NOW_LIMIT", 2)
    monkeypatch.setattr(check_views, "async_task", lambda *a, **kw: queued.append(a) or f"t-{len(queued)}")
    monkeypatch.setattr(check_views, "fetch", lambda task_id: None)
    connector = import_connector("sales-crm")
    client.force_login(alice)
    url = reverse("review:check_now", args=[connector.pk])
    assert [client.post(url, **HTMX).status_code for _ in range(2)] == [200, 200]
    refused = client.post(url, **HTMX)
    assert refused.status_code == 429
    assert "at most 2 times in 10 minutes" in refused.content.decode()
    assert len(queued) == 2  # the refused one queued nothing


def test_the_limit_is_per_user(client, alice, bob, globex, import_connector, monkeypatch, empty_cache):
    monkeypatch.setattr(check_views, "CHECK_NOW_LIMIT", 1)
    monkeypatch.setattr(check_views, "async_task", lambda *a, **kw: "t")
    monkeypatch.setattr(check_views, "fetch", lambda task_id: None)
    mine = import_connector("sales-crm")
    client.force_login(alice)
    assert client.post(reverse("review:check_now", args=[mine.pk]), **HTMX).status_code == 200
    assert client.post(reverse("review:check_now", args=[mine.pk]), **HTMX).status_code == 429
    theirs = import_connector("sales-crm", company=globex, user=bob)
    client.force_login(bob)
    assert client.post(reverse("review:check_now", args=[theirs.pk]), **HTMX).status_code == 200


def test_the_window_forgets_old_checks(alice, monkeypatch, empty_cache):
    monkeypatch.setattr(check_views, "CHECK_NOW_LIMIT", 1)
    window = check_views.CHECK_NOW_WINDOW_SECONDS
    clock = [window * 1000 + 100.0]  # 100 s into a window
    monkeypatch.setattr(check_views, "clock", lambda: clock[0])
    assert check_views.check_now_wait(alice) == 0
    assert check_views.check_now_wait(alice) == window - 100 + 1  # until this window ends
    clock[0] += window
    assert check_views.check_now_wait(alice) == 0
