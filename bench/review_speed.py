"""Review engine speed: .venv/bin/python bench/review_speed.py

Per bundle: parse (V8 syntax check + tree-sitter), static rules, sandbox, total; a
generated 1 MiB script; the sandbox's per-run start-up and rows per second on a
1,000,000-row report; esprima vs tree-sitter on the same 1 MiB script (the parser
choice). Targets (2 cores): sales-crm under 1 s in-process, static checks of 1 MiB
under 5 s, sandbox start-up under 100 ms a run.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from connectors.bundle.reader import read_bundle  # noqa: E402
from connectors.bundle.types import Bundle  # noqa: E402
from review.engine import EngineConfig, run_review  # noqa: E402
from review.engine.sandbox_pool import shared_pool  # noqa: E402

BUNDLES = ROOT / "tests" / "fixtures" / "bundles"
NAMES = ["sales-crm", "sales-crm-xhr", "sales-crm-hardcoded-password", "sales-crm-exfiltration",
         "sales-crm-declared-collector", "sales-crm-minified", "oauth2-tasks", "workspaces-discovery",
         "signed-api", "xml-api", "service-account-jwt", "body-paged-api"]


def one_mib_bundle():
    base = read_bundle(BUNDLES / "sales-crm")
    unit = "// block {n}\nfunction page{n}(offset) {{\n" + "".join(
        f"  var line{i} = httprequest.get('https://crm.example-sales.com/api/x?o=' + offset + '&i={i}');\n"
        for i in range(6)) + "  return line0;\n}}\n"
    parts, size, n = [], 0, 0
    while size < 1024 * 1024 - 2000:
        chunk = unit.format(n=n)
        parts.append(chunk)
        size += len(chunk)
        n += 1
    script = "".join(parts) + base.text("processdata.js")
    files = dict(base.files)
    files["processdata.js"] = script.encode()
    return Bundle(manifest=base.manifest, files=files), len(script)


def row(label, result, wall):
    t = result.timings
    print(f"{label:<32} {t['parse']:>7.3f} {t['static']:>7.3f} {t['sandbox']:>8.3f} {t.get('dataflow', 0):>8.3f} "
          f"{t['total']:>7.3f} {wall:>7.3f}  {result.verdict}")


def main():
    config = EngineConfig()
    cold = time.perf_counter()
    run_review(read_bundle(BUNDLES / "sales-crm"), config)
    print(f"first review in this process (starts the worker pool): {time.perf_counter() - cold:.3f} s\n")

    print(f"{'bundle':<32} {'parse':>7} {'static':>7} {'sandbox':>8} {'dataflow':>8} {'total':>7} {'wall':>7}  verdict")
    for name in NAMES:
        bundle = read_bundle(BUNDLES / name)
        started = time.perf_counter()
        result = run_review(bundle, config)
        row(name, result, time.perf_counter() - started)
    big, size = one_mib_bundle()
    started = time.perf_counter()
    result = run_review(big, config)
    row(f"generated {size / 1048576:.2f} MiB script", result, time.perf_counter() - started)

    pool = shared_pool(config.workers)
    times = []
    for _ in range(20):
        started = time.perf_counter()
        pool.submit({"kind": "run", "source": "1", "setup": {"hosts": [], "responses": []},
                     "cpu_seconds": 5, "heap_mb": 128}, timeout=5)
        times.append(time.perf_counter() - started)
    times.sort()
    print(f"\nsandbox start-up per run (fresh V8 context + stubs + round trip), median of 20: "
          f"{times[10] * 1000:.1f} ms")

    rows_source = ("datagrid.addColumn('id', datagrid.DATA_TYPE_STRING);\n"
                   "datagrid.addColumn('amount', datagrid.DATA_TYPE_DOUBLE);\n"
                   "datagrid.addColumn('day', datagrid.DATA_TYPE_DATE);\n"
                   "for (var i = 0; i < 1000000; i++) {\n"
                   "  datagrid.addCell('row-' + i); datagrid.addCell(i * 1.5); datagrid.addCell('2026-11-27');\n"
                   "  datagrid.endRow();\n}\n")
    reply = pool.submit({"kind": "run", "source": rows_source, "setup": {"hosts": [], "responses": []},
                         "cpu_seconds": 30, "heap_mb": 128}, timeout=30)
    rows = reply["record"]["rows"]
    print(f"1,000,000-row report (3 cells a row): {rows:,} rows in {reply['cpu_seconds']:.3f} CPU s = "
          f"{rows / reply['cpu_seconds']:,.0f} rows/s")

    script = big.text("processdata.js")
    from review.engine.scripts import _parser
    started = time.perf_counter()
    _parser.parse(script.encode())
    ts = time.perf_counter() - started
    import esprima
    started = time.perf_counter()
    try:
        esprima.parseScript(script, {"loc": True})
        es = f"{time.perf_counter() - started:.3f} s"
    except Exception as exc:  # noqa: BLE001
        es = f"failed: {exc}"
    started = time.perf_counter()
    try:
        esprima.parseScript("var x = a?.b ?? 1;")
        modern = "parses"
    except Exception as exc:  # noqa: BLE001
        modern = f"fails ({exc})"
    print(f"parser on the 1 MiB script: tree-sitter {ts:.3f} s, esprima (loc) {es}; "
          f"esprima on `a?.b ?? 1`: {modern}")


if __name__ == "__main__":
    main()
