"""python manage.py review_bundle PATH [--format text|json] (bundle-format.md).

A thin wrapper over review.engine.run_review, the same function the review pipeline
calls. Exit status: 0 pass, 1 fail, 2 the bundle cannot be read.
"""

import json
import sys
from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError

from connectors.bundle.errors import BundleError
from connectors.bundle.importer import import_bundle
from review.engine import EngineConfig, run_review


class Command(BaseCommand):
    help = "Run every automated review check on a connector bundle (folder or .zip)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, path, format, **options):
        try:
            imported = import_bundle(path)
        except BundleError as exc:
            raise CommandError(str(exc), returncode=2)
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}", returncode=2)
        result = run_review(imported.bundle, EngineConfig.from_settings())
        if format == "json":
            data = result.to_dict()
            if imported.notes:  # a Dev Studio export: what the conversion dropped or guessed
                data["converted_from"] = imported.source_format
                data["import_notes"] = list(imported.notes)
            self.stdout.write(json.dumps(data, indent=2))
        else:
            if imported.notes:
                self.stdout.write("converted from Domo Connector Dev Studio's layout:\n"
                                  + "".join(f"  - {note}\n" for note in imported.notes))
            self.stdout.write(render_text(result))
        if result.verdict == "fail":
            sys.exit(1)


def render_text(result) -> str:
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
    lines += ["", "performance:",
              f"  {'report':<24} {'records':>8} {'requests':>8} {'cpu s':>7} {'modeled s':>9} {'per 5 min':>10} passed"]
    for p in result.performance:
        per = "-" if p["records_per_5_min"] is None else f"{p['records_per_5_min']:,}"
        passed = {True: "yes", False: "NO", None: "not measured"}[p["passed"]]
        lines.append(f"  {p['report']:<24} {p['records']:>8} {p['requests']:>8} {p['cpu_seconds']:>7} "
                     f"{p['modeled_seconds']:>9} {per:>10} {passed}")
    return "\n".join(lines)
