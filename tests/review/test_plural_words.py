"""Counts in user-facing text agree with their noun: "1 time", "2 times", never "1 times"."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from review.engine.bounds import capped_findings
from review.engine.findings import Finding
from review.views import check as check_views
from runs.limits import _count

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_check_now_with_a_limit_of_one_says_one_time(client, alice, import_connector, monkeypatch, empty_cache):
    monkeypatch.setattr(check_views, "clock", lambda: check_views.CHECK_NOW_WINDOW_SECONDS * 1000 + 1.0)
    monkeypatch.setattr(check_views, "CHECK_NOW_LIMIT", 1)
    monkeypatch.setattr(check_views, "async_task", lambda *a, **kw: "t")
    monkeypatch.setattr(check_views, "fetch", lambda task_id: None)
    connector = import_connector("sales-crm")
    client.force_login(alice)
    url = reverse("review:check_now", args=[connector.pk])
    assert client.post(url, **HTMX).status_code == 200
    body = client.post(url, **HTMX).content.decode()
    assert "at most 1 time in 10 minutes per user" in body and "1 times" not in body


@pytest.mark.parametrize(
    ("limit", "minutes", "said"),
    [
        (1, 1, "There was 1 wrong password in a row"),
        (5, 30, "There were 5 wrong passwords in a row"),
    ],
)
def test_the_lockout_page_counts_passwords_and_minutes(limit, minutes, said):
    body = render_to_string("registration/locked_out.html", {"failure_limit": limit, "minutes": minutes})
    assert said in body
    assert f"locked for {minutes} minute{'s' if minutes > 1 else ''}." in body


def test_a_live_runs_progress_counts_its_rows_and_requests():
    class Run:
        pk, requests, rows, bytes, active, status = 1, 1, 1, 10, False, "done"
        outcome = columns = log_lines = csv_name = duration_seconds = None

        def get_status_display(self):
            return "Done"

    body = " ".join(render_to_string("runs/_progress.html", {"run": Run()}).split())
    assert "1 request &middot;" in body and "1</span> row &middot;" in body


def test_run_limits_count_their_nouns():
    assert _count(1, "run") == "1 run" and _count(2, "minute") == "2 minutes"


def test_one_finding_left_out_is_named_once():
    findings = [Finding("rule-x", "warning", "security", None, None, None, f"m{i}") for i in range(4)]
    kept = capped_findings(findings, per_rule=3)
    assert kept[-1].message == "... and 1 more rule-x finding like this."
