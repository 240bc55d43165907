"""What each run of Check now produced, as Domo's Dev Studio shows it: per run the columns,
the first rows, the requests with the status each got, and the DOMO.log lines.

Built from the sandbox's record (sandbox_js/); every value is bounded there or
here, so a hostile script cannot make the preview large. Not part of review_bundle's
JSON contract: Check now adds it beside the result.
"""

from __future__ import annotations

MAX_TEXT = 500
MAX_REQUESTS = 50
MAX_LOG_LINES = 200


def _text(value, limit: int = MAX_TEXT) -> str:
    return str(value)[:limit] if value is not None else ""


def log_lines(record: dict) -> list[str]:
    # The runtime keeps the first 200 DOMO.log lines of a run, cut and with the sample
    # account's secrets masked (bundle-format.md); `logs` is how many calls there were.
    lines = record.get("log_lines")
    return [_text(line) for line in lines[:MAX_LOG_LINES] if isinstance(line, str)] if isinstance(lines, list) else []


def run_preview(run) -> dict:
    record = run.record if isinstance(run.record, dict) else {}
    columns = [
        {"name": _text(c.get("name"), 120), "type": _text(c.get("type"), 20)}
        for c in (record.get("columns") or []) if isinstance(c, dict)
    ]
    first_rows = [
        [_text(cell, 120) for cell in row[: len(columns) or 30]]
        for row in (record.get("preview") or []) if isinstance(row, list)
    ][:5]
    error = record.get("error") if isinstance(record.get("error"), dict) else None
    requests = [
        {"method": _text(r["method"], 10), "url": _text(r["url"]), "declared": bool(r["declared"]),
         "matched": bool(r["matched"]), "status": r.get("status") if isinstance(r.get("status"), int) else None}
        for r in run.requests[:MAX_REQUESTS]
    ]
    log_count = record.get("logs") if isinstance(record.get("logs"), int) else None
    kept_lines = log_lines(record)
    return {
        "label": run.label,
        "role": run.role,
        "report": run.report,
        "file": run.file,
        "status": _text(run.status, 200),
        "columns": columns,
        "rows": run.rows,
        "first_rows": first_rows,
        "requests": requests,
        "request_count": int(record.get("request_count") or len(requests)),
        "log_lines": kept_lines,
        "log_count": log_count if log_count is not None else len(kept_lines),
        "error": _text(error.get("message")) if error else "",
    }


def runs_preview(runs) -> list[dict]:
    """The process-data runs first (one per report), then authentication and discovery."""
    ordered = sorted(runs, key=lambda run: (run.role != "processdata", run.role, run.report or ""))
    return [run_preview(run) for run in ordered]
