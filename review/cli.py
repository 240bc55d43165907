"""review_bundle: every automated check on one or more bundles (bundle-format.md).

Shared by `python manage.py review_bundle` (the management command) and by manage.py's
fast path for the same command, which runs it without Django's start-up (apps, URLs,
admin: half a second a one-bundle review does not need). Nothing here imports Django.

Exit status: the worst of the bundles' (0 pass, 1 fail, 2 the bundle cannot be read,
3 a check could not finish: our failure, one line on standard error, never a verdict).
"""

from __future__ import annotations

import json
import sys
import threading
from collections import defaultdict

UNREADABLE = 2
NOT_FINISHED = 3


class Unreadable(Exception):
    """A bundle that cannot be read at all; the message says what and where."""


def read(path: str):
    """The bundle at `path`, of ours or a Dev Studio export (ImportedBundle: .bundle, .notes)."""
    from connectors.bundle.errors import BundleError
    from connectors.bundle.importer import import_bundle

    try:
        return import_bundle(path)
    except BundleError as exc:
        raise Unreadable(str(exc)) from None
    except OSError as exc:
        raise Unreadable(f"{path}: {exc.strerror or exc}") from None


def review_paths(paths: list[str], fmt: str, config, out, err) -> int:
    """Review each path in turn, printing one result per bundle; the worst exit status."""
    from review.engine import run_review

    worst = 0
    for path in paths:
        try:
            imported = read(path)
        except Unreadable as exc:
            err.write(f"{exc}\n")
            worst = max(worst, UNREADABLE)
            continue
        try:
            result = run_review(imported.bundle, config)
        except Exception as exc:  # noqa: BLE001 - our failure: exit 3 and one line, never a traceback
            detail = f"{type(exc).__name__}: {exc}".replace("\n", " ")[:200]
            err.write(f"{path}: the automated checks could not finish ({detail})\n")
            worst = max(worst, NOT_FINISHED)
            continue
        if fmt == "json":
            data = result.to_dict()
            if imported.notes:  # a Dev Studio export: what the conversion dropped or guessed
                data["converted_from"] = imported.source_format
                data["import_notes"] = list(imported.notes)
            if len(paths) > 1:
                out.write(json.dumps({"path": path, **data}, separators=(",", ":")) + "\n")
            else:
                out.write(json.dumps(data, indent=2) + "\n")
        else:
            if len(paths) > 1:
                out.write(f"== {path}\n")
            if imported.notes:
                out.write("converted from Domo Connector Dev Studio's layout:\n"
                          + "".join(f"  - {note}\n" for note in imported.notes))
            out.write(render_text(result) + "\n")
        worst = max(worst, 1 if result.verdict == "fail" else 0)
    return worst


def render_text(result) -> str:
    from review.engine.preview import MAX_LOG_LINES  # lazily, like every engine import here

    lines = [f"verdict: {result.verdict} (ruleset {result.ruleset})", ""]
    by_file = defaultdict(list)
    for finding in result.findings:
        by_file[finding.file or "(bundle)"].append(finding)
    for file, findings in by_file.items():
        lines.append(file)
        for f in findings:
            place = f"{file}:{f.line or '-'}:{f.column or '-'}"
            flag = " [warning]" if f.severity == "warning" else ""
            lines.append(f"  {place} {f.rule} {f.message}{flag}")
            if f.hint:
                lines.append(f"      hint: {f.hint}")
        lines.append("")
    if not result.findings:
        lines += ["no findings", ""]
    lines.append("requests:")
    for r in result.requests:
        status = ("matched" if r["matched"] else "no sample") if r["declared"] else "UNDECLARED HOST"
        lines.append(f"  [{r['report'] or 'authentication/discovery'}] {r['method']} {r['url']} ({status})")
    lines += ["", "where the data goes:"]
    for site in result.sites:
        role = "supplied data" if site["supplied_data"] else "ONLY RECEIVED"
        got = [f"credentials: {', '.join(site['credentials'])}"] if site["credentials"] else []
        got += [f"data from {', '.join(site['data_from'])}"] if site["data_from"] else []
        lines.append(f"  {site['site']} ({', '.join(site['hosts'])}): {role}" + (f"; {'; '.join(got)}" if got else ""))
    lines += ["", "performance:",
              f"  {'report':<24} {'records':>8} {'requests':>8} {'cpu s':>7} {'modeled s':>9} {'per 5 min':>10} passed"]
    for p in result.performance:
        per = "-" if p["records_per_5_min"] is None else f"{p['records_per_5_min']:,}"
        passed = {True: "yes", False: "NO", None: "not measured"}[p["passed"]]
        lines.append(f"  {p['report']:<24} {p['records']:>8} {p['requests']:>8} {p['cpu_seconds']:>7} "
                     f"{p['modeled_seconds']:>9} {per:>10} {passed}")
    for log in result.logs:
        run = f"report {log['report']}" if log["report"] else log["file"]
        lines += ["", f"DOMO.log ({run}, {log['count']} lines{f', first {MAX_LOG_LINES} kept' if log['count'] > MAX_LOG_LINES else ''}):"]
        lines += [f"  {line}" for line in log["lines"]]
    return "\n".join(lines)


def parser():
    import argparse  # here: the fast path starts its sandbox worker before this import (main)

    p = argparse.ArgumentParser(prog="manage.py review_bundle",
                                description="Run every automated review check on connector bundles (folder or .zip).")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--format", choices=["text", "json"], default="text")
    return p


def main(argv: list[str]) -> int:
    """The fast path: no django.setup(); the engine's settings come from the environment."""
    from review.engine.config import EngineConfig
    from review.engine.sandbox_pool import shared_pool

    config = EngineConfig.from_environment()
    # A sandbox worker takes a tenth of a second or more to start, the longest step of
    # a one-bundle review: start one first, while this process parses its arguments,
    # imports the engine and reads the bundle. The pool starts the second only for a
    # job that would otherwise wait (a long run).
    pool = shared_pool(config.workers)
    threading.Thread(target=pool.prestart, daemon=True).start()
    args = parser().parse_args(argv)
    return review_paths(args.paths, args.format, config, sys.stdout, sys.stderr)
