"""run_review: every automated check on one bundle, as a submission's automated phases run them."""

from __future__ import annotations

import time

from review.engine import review_limit
from review.engine.bounds import bound_result
from review.engine.config import EngineConfig
from review.engine.dataflow import DataFlow, follow
from review.engine.findings import ReviewResult, reading_order
from review.engine.preview import log_lines, runs_preview
from review.engine.registry import ReviewContext
from review.engine.review_limit import ReviewLimit
from review.engine.rules import rules_for
from review.engine.rules.performance import performance_table
from review.engine.sandbox import REVIEW_WALL_TIMEOUT, check_syntax, run_scripts, sample_bodies
from review.engine.scripts import SyntaxProblem, parse_script


class ReviewOutOfTime(RuntimeError):
    """The review's runs passed its wall clock (EngineConfig.review_wall_seconds): our failure."""


def run_review(bundle, config: EngineConfig | None = None) -> ReviewResult:
    config = config or EngineConfig.from_settings()
    started = time.perf_counter()
    limits: list[ReviewLimit] = []
    guarded = _Guard(limits)
    # One deadline for every sandbox job of this review (config.review_wall_seconds).
    deadline = time.monotonic() + config.review_wall_seconds

    roles = {path: role for role, path in bundle.script_paths().items()}
    texts = bundle.scripts()

    def parse():
        errors = check_syntax(texts, config, deadline=deadline)
        return [
            parse_script(path, roles.get(path, "processdata"), text,
                         SyntaxProblem(**errors[path]) if errors.get(path) else None)
            for path, text in texts.items()
        ]

    scripts = guarded("reading the scripts", parse, [])
    samples = (bundle.manifest.get("samples") or {}).get("responses") or []
    limits += guarded("reading the samples", lambda: review_limit.sample_limits(samples, sample_bodies(bundle)), [])
    ctx = ReviewContext(bundle=bundle, scripts=scripts, config=config, limits=limits)
    parsed = time.perf_counter()

    findings = [f for r in rules_for("static") for f in guarded(f"the {r.id} check", lambda r=r: r.findings(ctx), [])]
    checked = time.perf_counter()

    ctx.runs = guarded("the sandbox's record of the runs", lambda: run_scripts(bundle, scripts, config, deadline=deadline), [])
    if any(one.status == REVIEW_WALL_TIMEOUT for run in ctx.runs for one in (run, *run.variants.values())):
        # Within their CPU limits and each run's own wall-clock bound, the runs together
        # took longer than the review may: a machine too busy, not a verdict on the
        # connector. The pipeline records "checks delayed" and tries again later.
        raise ReviewOutOfTime(f"The sandbox runs did not finish within the review's wall-clock bound of "
                              f"{config.review_wall_seconds:g} s.")
    ran = time.perf_counter()
    with review_limit.deadline(config.cpu_seconds):  # the Python side's share, like one sandbox run
        ctx.data_flow = guarded("following the data flow", lambda: follow(bundle, ctx.runs, scripts),
                                DataFlow())
    followed = time.perf_counter()
    # review-limit last: it reports what every other rule ran into.
    for r in sorted(rules_for("runtime"), key=lambda r: r.id == "review-limit"):
        findings += guarded(f"the {r.id} check", lambda r=r: r.findings(ctx), [])

    result = ReviewResult(
        findings=_in_reading_order(_without_duplicates(findings)),
        requests=[_request_row(run, request) for run in ctx.runs for request in run.requests],
        performance=performance_table(ctx.runs, config.latency_seconds),
        sites=[s.to_dict() for s in ctx.data_flow.sites()],
        logs=[_log_row(run) for run in ctx.runs if run.record.get("log_lines")],
        runs=runs_preview(ctx.runs),
    )
    bound_result(result)
    done = time.perf_counter()
    result.timings = {"parse": parsed - started, "static": checked - parsed, "sandbox": ran - checked,
                      "dataflow": followed - ran, "total": done - started}
    return result


class _Guard:
    """Runs one stage; what the bundle's content made it run into becomes a ReviewLimit.

    ReviewLimit (a bound of ours), RecursionError (nesting deeper than Python's stack) and
    MemoryError (content too large) come from what the bundle holds: the bundle fails with
    review-limit saying where, and the other stages still run, so their findings are
    reported too. Anything else is a fault of the machine and propagates (exit 3, a retry).
    """

    def __init__(self, limits: list) -> None:
        self.limits = limits

    def __call__(self, stage: str, run, default):
        try:
            return run()
        except ReviewLimit as exc:
            self.limits.append(exc)
        except RecursionError:
            self.limits.append(ReviewLimit("content nested more deeply than the review's stack allows", stage))
        except MemoryError:
            self.limits.append(ReviewLimit("content larger than the review's memory allows", stage))
        return default


def _log_row(run):
    return {"file": run.file, "report": run.report, "lines": log_lines(run.record), "count": int(run.record.get("logs") or 0)}


def _request_row(run, request):
    return {"report": run.report, "method": request["method"], "url": request["url"],
            "host": request["host"], "declared": request["declared"], "matched": request["matched"]}


def _without_duplicates(findings):
    """The static and runtime halves of a rule may see the same line: report it once."""
    seen, kept = set(), []
    for finding in findings:
        key = (finding.rule, finding.file, finding.line) if finding.line is not None else finding
        if key not in seen:
            seen.add(key)
            kept.append(finding)
    return kept


def _in_reading_order(findings):
    return sorted(findings, key=reading_order)
