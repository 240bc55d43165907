"""Check now: run the automated checks on the saved draft in a worker and poll for the findings.

The engine runs the scripts in sandbox subprocesses and may take seconds, so the web
process only queues the django-q2 task and the page polls (htmx) until it is done.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_q.tasks import async_task, fetch

from connectors import selectors
from connectors.conversion import connector_as_bundle
from connectors.review_queue import ReviewsBusy, ensure_review_capacity
from review.check_now_count import count_check_now
from review.engine.findings import reading_order
from review.pages.summary import RunLog, SiteFlow

# With no worker running, a queued check never starts; say so instead of spinning forever.
CHECK_PATIENCE_SECONDS = 90


# Each Check now holds a worker for up to the review's time budget: a user may ask for
# this many in a window, across all their connectors.
CHECK_NOW_LIMIT = getattr(settings, "CHECK_NOW_PER_WINDOW", 10)
CHECK_NOW_WINDOW_SECONDS = getattr(settings, "CHECK_NOW_WINDOW_SECONDS", 600)


def clock() -> float:
    """The time the Check now window is counted in (tests set it, to stay in one window)."""
    return time.time()


def check_now_wait(user) -> int:
    """Seconds this user must wait before the next Check now (0: go), counting this one.

    One counter per user and fixed window, moved by one atomic database update
    (review.check_now_count, which says why not the cache), never read-then-written:
    twenty requests at once get twenty different numbers, and only the first
    CHECK_NOW_LIMIT are let through. A fixed window lets a burst straddle its boundary
    (at most twice the limit in a window's length), which is still bounded.
    """
    now = clock()
    window = int(now // CHECK_NOW_WINDOW_SECONDS)
    count = count_check_now(user, window)
    if count > CHECK_NOW_LIMIT:
        return int((window + 1) * CHECK_NOW_WINDOW_SECONDS - now) + 1
    return 0


@transaction.atomic
def check_capacity(user, connector) -> None:
    """Check now runs the same machine work as a review: refused while the user's (or the
    company's) reviews fill the fair queue's cap (connectors.review_queue)."""
    ensure_review_capacity(user=user, company=connector.company)


def check_session_key(pk) -> str:
    return f"check-now:{pk}"


def _grouped(findings: list[dict], lines: dict[str, list[str]]) -> list[dict]:
    """Findings by file, in line order, each with the source line it points at."""
    groups: dict[str, list[dict]] = {}
    for finding in findings:
        source = None
        file, line = finding.get("file"), finding.get("line")
        if file in lines and line and 0 < line <= len(lines[file]):
            source = lines[file][line - 1]
        groups.setdefault(file or "", []).append({**finding, "source": source})
    return [
        {"file": file, "findings": sorted(items, key=reading_order)}
        for file, items in sorted(groups.items())
    ]


def _run_logs(run: dict) -> list[RunLog]:
    """One run's DOMO.log lines, shown by the one log partial (review/_log_lines.html)."""
    if not run.get("log_lines"):
        return []
    return [RunLog.from_details({"file": run.get("file"), "report": run.get("report"),
                                 "lines": run["log_lines"], "count": run.get("log_count")})]


def check_context(request, connector) -> dict:
    """Where this user's last Check now of `connector` stands, and its findings when done."""
    # The task id comes from this user's session, never from the URL: nobody can read
    # another connector's findings by guessing an id.
    check = request.session.get(check_session_key(connector.pk))
    context = {"connector": connector, "check_state": "none"}
    if not check:
        return context
    task = fetch(check["task"])
    if task is None:
        waited = time.time() - check.get("started", 0)
        context["check_state"] = "stalled" if waited > CHECK_PATIENCE_SECONDS else "running"
        return context
    if not task.success:
        context["check_state"] = "error"
        return context
    result = task.result if isinstance(task.result, dict) else {}
    findings = result.get("findings", [])
    lines = {path: text.splitlines() for path, text in connector_as_bundle(connector).scripts().items()}
    context.update({
        "check_state": "done",
        # Saved since: the Submit dialog does not warn about a result the save may have fixed.
        "check_stale": check.get("started", 0) < connector.updated_at.timestamp(),
        "check_verdict": result.get("verdict"),
        "check_errors": sum(1 for f in findings if f.get("severity") == "error" and not f.get("waived")),
        "check_warnings": sum(1 for f in findings if f.get("severity") != "error"),
        "check_groups": _grouped(findings, lines),
        "check_finished": task.stopped,
        "check_sites": [SiteFlow.from_details(row) for row in result.get("sites") or []],
        "check_logs": [RunLog.from_details(row) for row in result.get("logs") or []],
        "check_runs": [{**run, "logs": _run_logs(run)} for run in result.get("runs") or []],
    })
    return context


def last_check_errors(request, connector) -> int:
    """The errors of this user's last Check now of `connector` when it failed and the
    draft was not saved since (a save may have fixed them); 0 otherwise (connectors.last_check)."""
    check = request.session.get(check_session_key(connector.pk))
    if not check or check.get("started", 0) < connector.updated_at.timestamp():
        return 0
    task = fetch(check["task"])
    if task is None or not task.success or not isinstance(task.result, dict):
        return 0
    if task.result.get("verdict") != "fail":
        return 0
    errors = sum(1 for f in task.result.get("findings", []) if f.get("severity") == "error" and not f.get("waived"))
    return max(errors, 1)


@login_required
@require_POST
def check_now(request, pk):
    connector = selectors.connector_get_for_user(request.user, pk)
    template = "review/_check_results.html" if request.htmx else "review/check.html"
    try:
        check_capacity(request.user, connector)
    except ReviewsBusy as busy:
        context = {**check_context(request, connector), "check_state": "busy", "check_busy": busy.message}
        return render(request, template, context, status=429)
    wait = check_now_wait(request.user)
    if wait:
        context = {**check_context(request, connector), "check_state": "limited", "check_wait": wait,
                   "check_limit": CHECK_NOW_LIMIT, "check_window_minutes": CHECK_NOW_WINDOW_SECONDS // 60}
        return render(request, template, context, status=429)
    task_id = async_task("review.tasks.check_draft", connector.pk, group=f"check-now-{connector.pk}")
    request.session[check_session_key(connector.pk)] = {"task": task_id, "started": time.time()}
    if request.htmx:
        return render(request, "review/_check_results.html", check_context(request, connector))
    return redirect("review:check_result", pk=connector.pk)


@login_required
@require_GET
def check_result(request, pk):
    """The editor loads this part with htmx; without JavaScript it is a page of its own."""
    connector = selectors.connector_get_for_user(request.user, pk)
    template = "review/_check_results.html" if request.htmx else "review/check.html"
    return render(request, template, check_context(request, connector))
