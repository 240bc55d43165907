"""Bundles built in memory for rule tests: only the part under test varies."""

import copy
import json

from connectors.bundle.types import Bundle
from review.engine import EngineConfig, run_review
from review.engine.registry import ReviewContext
from review.engine.rules import rules_for
from review.engine.sandbox import check_syntax
from review.engine.scripts import SyntaxProblem, parse_script

# Low limits keep hostile runs short; honest scripts need milliseconds.
FAST = EngineConfig(cpu_seconds=1.5, heap_mb=48)

AUTH_OK = "httprequest.get('https://api.example.com/me');\nauth.authenticationSuccess();\n"
PROCESS_OK = (
    "var rows = JSON.parse(httprequest.get('https://api.example.com/rows'));\n"
    "datagrid.addColumn('id', datagrid.DATA_TYPE_STRING);\n"
    "rows.forEach(function (r) { datagrid.addCell(r.id); datagrid.endRow(); });\n"
)
ROWS = json.dumps([{"id": f"r{i}"} for i in range(2000)])

MANIFEST = {
    "format": 1,
    "name": "Test connector",
    "description": "A connector built by the tests.",
    "auth": {"method": "api_key"},
    "hosts": ["api.example.com"],
    "reports": ["Items"],
    "samples": {
        "account": {"apikey": "sample-key"},
        "parameters": {},
        "responses": [
            {"method": "GET", "url": "https://api.example.com/me", "status": 200, "body": "{}"},
            {"method": "GET", "url": "https://api.example.com/rows", "status": 200, "body": ROWS},
        ],
    },
}


def make_bundle(processdata=PROCESS_OK, authentication=AUTH_OK, manifest=None, files=None):
    data = copy.deepcopy(MANIFEST)
    data.update(manifest or {})
    all_files = {"authentication.js": authentication.encode(), "processdata.js": processdata.encode()}
    all_files.update(files or {})
    return Bundle(manifest=data, files=all_files)


def review(processdata=PROCESS_OK, authentication=AUTH_OK, manifest=None, config=FAST, **kw):
    return run_review(make_bundle(processdata, authentication, manifest, **kw), config)


def static_findings(source, rule_id, manifest=None):
    """Findings of one static rule on a process-data script (no sandbox run)."""
    bundle = make_bundle(processdata=source, manifest=manifest)
    error = check_syntax({"processdata.js": source}, FAST)["processdata.js"]
    script = parse_script("processdata.js", "processdata", source, SyntaxProblem(**error) if error else None)
    ctx = ReviewContext(bundle=bundle, scripts=[script], config=FAST)
    return [f for r in rules_for("static") if r.id == rule_id for f in r.findings(ctx)]


def rules_of(result):
    return [f.rule for f in result.findings]


def run_review_bundle(*args):
    """`manage.py review_bundle *args` in this process: (exit status, stdout, stderr)."""
    import io

    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("review_bundle", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()
