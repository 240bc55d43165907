"""Every write of live runs: start one (limits, sealed account), perform it (the task), saved accounts, the purge."""

from __future__ import annotations

import json
import logging
import re
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from portal import crypto
from review.engine import EngineConfig
from review.engine.account_secrets import account_secrets
from review.engine.sandbox_pool import shared_pool
from review.engine.wall_clock import wall_seconds
from runs import csv_store, limits
from runs.access import Runnable, RunRefused, check_still_runnable
from runs.checks import host_map_allowed
from runs.egress.host_map import parse_host_map
from runs.egress.policy import EgressPolicy
from runs.models import ACTIVE, LiveRun, RunStatus, SavedAccount

log = logging.getLogger(__name__)
PREVIEW_ROWS = 20
ACCOUNT_WAIT = 15 * 60  # seconds a queued run's sealed account waits for a worker
HTTP_URL = re.compile(r"""http://([A-Za-z0-9.\-]+(?::\d+)?)""")


# ---- start ----

def live_run_start(*, user, target: Runnable, report: str, parameters: dict, account: dict) -> LiveRun:
    """Queue a run; the account's values travel sealed (Fernet) to the task and rest nowhere.

    Not in the task's arguments (django-q2 keeps a finished task's arguments in its
    table): the sealed values wait in the cache under the run's id, for ACCOUNT_WAIT
    seconds at most, and the task takes them out once.
    """
    check_still_runnable(target)
    if report not in (target.submission.manifest.get("reports") or []):
        raise RunRefused("Choose one of the connector's reports.")
    with transaction.atomic():
        wait = limits.wait_for(user, target.company)
        if wait:
            raise RunRefused(wait)
        run = LiveRun.objects.create(user=user, company=target.company, submission=target.submission, kind=target.kind,
                                     report=report, parameters=parameters)
        sealed = crypto.encrypt(json.dumps(account))

        def hand_over():
            cache.set(_account_key(run.pk), sealed, timeout=ACCOUNT_WAIT)
            _queue(run.pk)

        transaction.on_commit(hand_over)
    return run


def _account_key(run_id: int) -> str:
    return f"live-run-account:{run_id}"


def _take_account(run_id: int) -> dict | None:
    sealed = cache.get(_account_key(run_id))
    cache.delete(_account_key(run_id))
    return None if sealed is None else json.loads(crypto.decrypt(sealed))


def _queue(run_id: int) -> None:
    from django_q.tasks import async_task

    async_task("runs.tasks.perform_live_run", run_id, task_name=f"live-run-{run_id}")


# ---- perform (the task) ----

def live_run_perform(*, run_id: int) -> LiveRun:
    run = LiveRun.objects.select_related("submission").get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return run
    account = _take_account(run.pk)
    if account is None:
        LiveRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now(),
            outcome="The run did not start in time and its account values are gone (never kept): run it again.")
        return LiveRun.objects.get(pk=run.pk)
    LiveRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=timezone.now())
    manifest = run.submission.manifest
    masks = _masks(manifest, account)
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix=f"live-run-{run.pk}-"))
    rows_path, progress_path = workdir / "rows.csv", workdir / "progress.json"
    rows_path.touch()
    stop = threading.Event()
    follower = threading.Thread(target=_follow_progress, args=(run.pk, progress_path, stop), daemon=True)
    follower.start()
    try:
        outcome, status, record, report = _run_both_scripts(run, manifest, account, masks, rows_path, progress_path)
    except Exception as error:  # noqa: BLE001 - our failure: the run says so, masked, never the secrets
        log.exception("live run %s could not finish", run.pk)
        outcome, status, record, report = _mask(f"The run could not finish ({type(error).__name__}).", masks), \
            RunStatus.FAILED, {}, {}
    finally:
        stop.set()
        follower.join(2)
    columns = [c.get("name", "") for c in record.get("columns") or []]
    csv_name, first_rows = "", []
    try:
        if status == RunStatus.DONE:
            csv_name, first_rows = _store_csv(run, columns, rows_path, workdir)
    except Exception:  # noqa: BLE001 - our failure (a full disk, a storage that is down): the run says so
        log.exception("live run %s: its CSV could not be stored", run.pk)
        status, outcome = RunStatus.FAILED, "The run finished, but its result could not be stored: run it again."
    finally:
        for leftover in workdir.iterdir():
            leftover.unlink()
        workdir.rmdir()
    LiveRun.objects.filter(pk=run.pk).update(
        status=status, outcome=outcome, finished_at=timezone.now(), duration_seconds=time.monotonic() - started,
        rows=int(report.get("rows") or record.get("rows") or 0), requests=int(report.get("requests") or 0),
        bytes=int(report.get("bytes") or 0), columns=columns,
        first_rows=first_rows, log_lines=[_mask(line, masks) for line in record.get("log_lines") or []],
        csv_name=csv_name,
        csv_expires_at=timezone.now() + timedelta(days=settings.LIVE_RUN_CSV_DAYS) if csv_name else None)
    return LiveRun.objects.get(pk=run.pk)


def _run_both_scripts(run, manifest, account, masks, rows_path, progress_path):
    """Authentication first, then the report's processdata, on the review's sandbox with the network live."""
    scripts = run.submission.scripts or {}
    config = EngineConfig.from_settings()
    policy = live_policy(manifest, scripts, masks)
    setup = {"account": account, "parameters": run.parameters or {}, "days": None, "responses": [],
             "hosts": list(manifest.get("hosts") or []), "masks": masks}
    totals = {"requests": 0, "bytes": 0, "rows": 0, "refusals": []}
    record = {}
    deadline = time.monotonic() + settings.LIVE_RUN_SECONDS
    for role, report in (("authentication", None), ("processdata", run.report)):
        path = _script_path(manifest, role)
        source = scripts.get(path)
        if source is None:
            continue
        left = max(1.0, deadline - time.monotonic())
        live = {"exchange": "runs.live_exchange:LiveExchange", "rows_path": str(rows_path),
                "progress_path": str(progress_path), "max_csv_bytes": settings.LIVE_RUN_MAX_CSV_BYTES,
                "policy": {**policy.to_dict(), "run_seconds": left,
                           "max_requests": policy.max_requests - totals["requests"],
                           "max_total_bytes": max(0, policy.max_total_bytes - totals["bytes"])}}
        job = {"kind": "run", "source": source, "setup": {**setup, "report": report}, "cpu_seconds": config.cpu_seconds,
               "wall_seconds": wall_seconds(config.cpu_seconds) + left, "heap_mb": config.heap_mb, "live": live}
        reply = shared_pool(config.workers).submit(job, timeout=job["wall_seconds"])
        part = reply.get("live") or {}
        for key in ("requests", "bytes", "rows"):
            totals[key] += int(part.get(key) or 0)
        totals["refusals"] += part.get("refusals") or []
        record = reply.get("record") or {}
        status = reply.get("status", "crashed")
        if part.get("csv_over_limit"):
            return f"The result passed its limit of {settings.LIVE_RUN_MAX_CSV_BYTES} bytes of CSV.", RunStatus.FAILED, \
                record, totals
        refused = "; ".join(totals["refusals"][:3])
        if status != "ok":
            return _mask(f"The {role} script stopped: {status}." + (f" Refused: {refused}" if refused else ""), masks), \
                RunStatus.FAILED, record, totals
        if record.get("error"):
            error = record["error"]
            return _mask(f"The {role} script threw {error.get('name')}: {error.get('message')}", masks), \
                RunStatus.FAILED, record, totals
        if role == "authentication" and record.get("auth") != "success":
            message = record.get("auth_message") or "The authentication script did not report success."
            return _mask(f"Authentication failed: {message}", masks), RunStatus.FAILED, record, totals
    refused = "; ".join(totals["refusals"][:3])
    outcome = ngettext("%(n)d row.", "%(n)d rows.", totals["rows"]) % {"n": totals["rows"]}
    outcome += f" Requests refused by the egress policy: {refused}" if refused else ""
    return _mask(outcome, masks), RunStatus.DONE, record, totals


def _script_path(manifest: dict, role: str) -> str:
    scripts = manifest.get("scripts") or {}
    return scripts.get(role) or {"authentication": "authentication.js", "processdata": "processdata.js"}[role]


def live_policy(manifest: dict, scripts: dict, masks: list[str]) -> EgressPolicy:
    hosts = tuple(str(h).lower() for h in manifest.get("hosts") or [])
    written = {m.group(1).lower() for text in scripts.values() for m in HTTP_URL.finditer(text or "")}
    http_hosts = tuple(h for h in hosts if h in written or h.split(":")[0] in written)
    host_map = parse_host_map(settings.LIVE_RUN_HOST_MAP) if host_map_allowed() else {}
    return EgressPolicy(hosts=hosts, http_hosts=http_hosts, host_map=host_map,
                        max_requests=settings.LIVE_RUN_MAX_REQUESTS,
                        max_response_bytes=settings.LIVE_RUN_MAX_RESPONSE_BYTES,
                        max_total_bytes=settings.LIVE_RUN_MAX_TOTAL_BYTES, run_seconds=settings.LIVE_RUN_SECONDS,
                        masks=tuple(masks))


def _masks(manifest: dict, account: dict) -> list[str]:
    """Every form of the typed secrets (the review's own list of forms), longest first."""
    typed = {**manifest, "samples": {"account": account}}
    forms = {form for values in account_secrets(typed).values() for form in values}
    return sorted(forms, key=len, reverse=True)


def _mask(text: str, masks: list[str]) -> str:
    for secret in masks:
        text = text.replace(secret, "****")
    return text


def _follow_progress(run_id: int, path: Path, stop: threading.Event) -> None:
    """Copy the worker's progress (requests, rows, bytes) to the run, for the page that follows it."""
    from django.db import connection

    try:
        while not stop.wait(0.5):
            try:
                progress = json.loads(path.read_text())
            except (OSError, ValueError):
                continue
            LiveRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
                requests=int(progress.get("requests") or 0), rows=int(progress.get("rows") or 0),
                bytes=int(progress.get("bytes") or 0))
    finally:
        connection.close()


def _store_csv(run: LiveRun, columns: list[str], rows_path: Path, workdir: Path) -> tuple[str, list[list[str]]]:
    """The whole CSV (header, then the rows) into the live_runs storage: its name there, and
    the first rows for the page (read here, not back from a storage that may be remote)."""
    import csv

    target = workdir / "run.csv"
    with open(target, "w", newline="", encoding="utf-8") as out, open(rows_path, encoding="utf-8", newline="") as rows:
        csv.writer(out).writerow(columns)
        while chunk := rows.read(1 << 20):
            out.write(chunk)
    with open(target, encoding="utf-8", newline="") as written:
        reader = csv.reader(written)
        next(reader, None)
        first_rows = [row for _, row in zip(range(PREVIEW_ROWS), reader)]
    return csv_store.save(run.pk, target), first_rows


# ---- saved accounts ----

def saved_account_create(*, owner, connector, name: str, values: dict) -> SavedAccount:
    account, _ = SavedAccount.objects.update_or_create(owner=owner, connector=connector, name=name,
                                                       defaults={"values": json.dumps(values)})
    return account


def saved_account_delete(*, owner, pk: int) -> bool:
    """Delete the owner's saved account; False when it is not theirs (or gone)."""
    deleted, _ = SavedAccount.objects.filter(owner=owner, pk=pk).delete()
    return bool(deleted)


# ---- the purge (scheduled) ----

def live_run_csvs_purge(now=None) -> int:
    """Delete every CSV past its expiry (LIVE_RUN_CSV_DAYS); the run's row stays in the history."""
    now = now or timezone.now()
    purged = 0
    for run in LiveRun.objects.filter(csv_expires_at__lte=now).exclude(csv_name=""):
        csv_store.delete(run.csv_name)
        purged += LiveRun.objects.filter(pk=run.pk, csv_name=run.csv_name).update(csv_name="", csv_expires_at=None)
    return purged


def active_runs_of(user):
    return LiveRun.objects.filter(user=user, status__in=ACTIVE)
