"""run_review: every automated check on one bundle, as a submission's automated phases run them."""

from __future__ import annotations

import time

from review.engine.bounds import bound_result
from review.engine.config import EngineConfig
from review.engine.dataflow import follow
from review.engine.findings import ReviewResult
from review.engine.preview import log_lines, runs_preview
from review.engine.registry import ReviewContext, rules_for
from review.engine.rules.performance import performance_table
from review.engine.sandbox import check_syntax, run_scripts
from review.engine.scripts import SyntaxProblem, parse_script

PHASE_ORDER = {"automated": 0, "security": 1, "performance": 2}


def run_review(bundle, config: EngineConfig | None = None) -> ReviewResult:
    config = config or EngineConfig.from_settings()
    started = time.perf_counter()

    roles = {path: role for role, path in bundle.script_paths().items()}
    texts = bundle.scripts()
    errors = check_syntax(texts, config)
    scripts = [
        parse_script(path, roles.get(path, "processdata"), text,
                     SyntaxProblem(**errors[path]) if errors.get(path) else None)
        for path, text in texts.items()
    ]
    ctx = ReviewContext(bundle=bundle, scripts=scripts, config=config)
    parsed = time.perf_counter()

    findings = [f for r in rules_for("static") for f in r.findings(ctx)]
    checked = time.perf_counter()

    ctx.runs = run_scripts(bundle, scripts, config)
    ran = time.perf_counter()
    ctx.data_flow = follow(bundle, ctx.runs, scripts)
    followed = time.perf_counter()
    findings += [f for r in rules_for("runtime") for f in r.findings(ctx)]

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
    return sorted(findings, key=lambda f: (PHASE_ORDER.get(f.phase, 9), f.file or "", f.line or 0, f.column or 0))
