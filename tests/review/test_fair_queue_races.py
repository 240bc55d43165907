"""The fair queue's limits hold when many requests arrive at once (threads, real connections).

Needs PostgreSQL row locks (CI's second pass sets DATABASE_URL). The Check now counter is
a database row (review.check_now_count; tests/review/test_check_now_atomic.py races it on
SQLite with `make run`'s folder cache).
"""

import threading

import pytest
from django.test import Client
from django.urls import reverse

from connectors import services
from connectors.models import Connector, Submission
from connectors.review_queue import ReviewsBusy
from review import services as review_services
from review.views import check as check_views
from tests.races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("needs_postgres")]
THREADS = 20


def _at_once(call, count=THREADS):
    return race([lambda i=i: call(i) for i in range(count)])


def test_twenty_simultaneous_submits_of_one_user_let_only_the_cap_through(settings, monkeypatch, import_connector, alice):
    settings.REVIEW_QUEUE_PER_USER = 2
    settings.REVIEW_QUEUE_PER_COMPANY = 100
    monkeypatch.setattr(review_services, "queue_review", lambda submission_id: None)
    connectors = []
    for i in range(THREADS):
        connector = import_connector("sales-crm")
        Connector.objects.filter(pk=connector.pk).update(name=f"CRM race {i}")
        connectors.append(Connector.objects.get(pk=connector.pk))
    outcomes = _at_once(lambda i: services.connector_submit(connector=connectors[i], user=alice, visibility="company"))
    passed = [o for o in outcomes if isinstance(o, Submission)]
    refused = [o for o in outcomes if isinstance(o, ReviewsBusy)]
    assert (len(passed), len(refused)) == (2, THREADS - 2), outcomes
    assert Submission.objects.filter(submitted_by=alice).count() == 2


def test_twenty_simultaneous_check_nows_let_only_the_limit_through(monkeypatch, import_connector, alice):
    limit = 3
    monkeypatch.setattr(check_views, "CHECK_NOW_LIMIT", limit)
    # All in one window, wherever the clock stands (a fixed window restarts the count).
    monkeypatch.setattr(check_views, "clock", lambda: check_views.CHECK_NOW_WINDOW_SECONDS * 1000 + 1.0)
    queued = []
    lock = threading.Lock()

    def fake_async_task(*args, **kwargs):
        with lock:
            queued.append(args)
        return f"t-{len(queued)}"

    monkeypatch.setattr(check_views, "async_task", fake_async_task)
    monkeypatch.setattr(check_views, "fetch", lambda task_id: None)
    connector = import_connector("sales-crm")
    url = reverse("review:check_now", args=[connector.pk])
    clients = []
    for _ in range(THREADS):
        client = Client()
        client.force_login(alice)
        clients.append(client)
    codes = _at_once(lambda i: clients[i].post(url, HTTP_HX_REQUEST="true").status_code)
    assert sorted(codes) == [200] * limit + [429] * (THREADS - limit), codes
    assert len(queued) == limit
