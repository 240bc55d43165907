"""Check now: run the automated checks on the saved draft in a worker and poll for the findings.

The engine runs the scripts in sandbox subprocesses and may take seconds, so the web
process only queues the django-q2 task and the page polls (htmx) until it is done.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_q.tasks import async_task, fetch

from connectors import selectors
from connectors.conversion import connector_as_bundle
from review.summary import RunLog, SiteFlow

# With no worker running, a queued check never starts; say so instead of spinning forever.
CHECK_PATIENCE_SECONDS = 90


# Each Check now holds a worker for up to the review's CPU budget: a user may ask for
# this many in a rolling window, across all their connectors.
CHECK_NOW_LIMIT = getattr(settings, "CHECK_NOW_PER_WINDOW", 10)
CHECK_NOW_WINDOW_SECONDS = getattr(settings, "CHECK_NOW_WINDOW_SECONDS", 600)


def check_now_wait(user) -> int:
    """Seconds this user must wait before the next Check now (0: go), counting this one."""
    key = f"check-now-rate:{user.pk}"
    now = time.time()
    recent = [t for t in cache.get(key, []) if t > now - CHECK_NOW_WINDOW_SECONDS]
    if len(recent) >= CHECK_NOW_LIMIT:
        return int(recent[0] + CHECK_NOW_WINDOW_SECONDS - now) + 1
    cache.set(key, recent + [now], CHECK_NOW_WINDOW_SECONDS)
    return 0


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
        {"file": file, "findings": sorted(items, key=lambda f: (f.get("line") or 0, f.get("column") or 0))}
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


@login_required
@require_POST
def check_now(request, pk):
    connector = selectors.connector_get_for_user(request.user, pk)
    wait = check_now_wait(request.user)
    if wait:
        context = {**check_context(request, connector), "check_state": "limited", "check_wait": wait,
                   "check_limit": CHECK_NOW_LIMIT, "check_window_minutes": CHECK_NOW_WINDOW_SECONDS // 60}
        template = "review/_check_results.html" if request.htmx else "review/check.html"
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
