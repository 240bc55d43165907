"""The performance test: the smoke run's speed, projected (bundle-format.md formula)."""

import math

from review.engine.registry import Hit, rule
from review.limits import RECORDS_PER_5_MIN_REQUIRED


def _count(n, noun: str) -> str:
    # The engine runs without Django (the CLI), so no ngettext here.
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def project(run, latency_seconds):
    """One row of the performance table for a process-data run."""
    records = run.rows
    requests = int(run.record.get("request_count", 0))
    cpu = round(run.cpu_seconds, 3)
    sleep = float(run.record.get("sleep_ms", 0)) / 1000.0
    modeled = round(cpu + requests * latency_seconds + sleep, 3)
    if not run.completed:
        # A run stopped by a limit, a crash or an error measured nothing: its rows are what the
        # loop had counted when it was stopped, not a speed. It never passes.
        return {"report": run.report, "records": records, "requests": requests, "cpu_seconds": cpu,
                "modeled_seconds": modeled, "records_per_5_min": None, "passed": False}
    measured = records > 0
    per_5_min = math.floor(records * 300 / max(modeled, 0.001)) if measured else None
    return {"report": run.report, "records": records, "requests": requests, "cpu_seconds": cpu,
            "modeled_seconds": modeled, "records_per_5_min": per_5_min,
            "passed": (per_5_min >= RECORDS_PER_5_MIN_REQUIRED) if measured else None}


def report_runs(runs):
    """The process-data runs, one a report: the runs the performance test measures."""
    return [run for run in runs if run.report is not None]


def performance_table(runs, latency_seconds):
    return [project(run, latency_seconds) for run in report_runs(runs)]


@rule("too-slow", phase="performance", severity="error", stage="runtime",
      hint="Ask for bigger pages, fewer requests, no DOMO.sleep between pages.")
def too_slow(ctx):
    for run in report_runs(ctx.runs):
        row = project(run, ctx.config.latency_seconds)
        if row["passed"] is False and run.completed:  # a failed run has its own finding
            yield Hit(run.file, None, None,
                      f"Report {row['report']} projects {row['records_per_5_min']:,} records per 5 minutes "
                      f"({_count(row['records'], 'record')}, {_count(row['requests'], 'request')}, {row['modeled_seconds']} s "
                      f"modeled); at least {RECORDS_PER_5_MIN_REQUIRED:,} are needed.")


@rule("performance-unmeasured", phase="performance", severity="error", stage="runtime",
      hint="Add sample responses with which at least one report produces records.")
def performance_unmeasured(ctx):
    runs = report_runs(ctx.runs)
    if runs and not any(run.rows > 0 and run.completed for run in runs):
        yield Hit(runs[0].file, None, None,
                  "No report produced any record with the samples, so the speed could not be measured.")
