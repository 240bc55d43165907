"""Live runs (issue 22): .venv/bin/python bench/live_run.py [rounds]

1. Overhead: the sales-crm bundle's processdata (3 pages of CSV, ~1,200 rows) run on its
   samples (the review's path) and live against a local API serving the same samples
   (runs/demo_api.py through LIVE_RUN_HOST_MAP), both through run_script in this process,
   alternately; the median wall time of each and the difference per run and per request.
2. Rows per second to CSV: a connector paging 100,000 rows of JSON (10 pages of 10,000,
   5 columns) from a local API through magicParseJSON, streamed out of the sandbox and
   written as the run's CSV (runs.services._store_csv): wall time from start to the file.
Loopback only: the guard of the tests is installed here too.
"""

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

from runs.egress import loopback_guard  # noqa: E402

loopback_guard.install()

from connectors.bundle.reader import read_bundle  # noqa: E402
from review.engine.sandbox import sample_setup  # noqa: E402
from review.engine.sandbox_worker import run_script  # noqa: E402
from runs.demo_api import DemoApi  # noqa: E402
from tests.runs.local_api import LocalApi  # noqa: E402

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
PAGES, PAGE_ROWS = 10, 10_000


def live(address, host, workdir):
    return {"exchange": "runs.live_exchange:LiveExchange", "rows_path": str(workdir / "rows.csv"),
            "progress_path": str(workdir / "progress.json"),
            "policy": {"hosts": [host], "host_map": {host: address}, "max_response_bytes": 20 * 1024 * 1024,
                       "max_total_bytes": 200 * 1024 * 1024}}


def overhead():
    bundle = read_bundle(ROOT / "demo" / "bundles" / "sales-crm")
    setup = {**sample_setup(bundle), "report": "Opportunities"}
    source = bundle.text("processdata.js")
    api = DemoApi(bundle.manifest, bundle.files).start()
    samples, lives, requests = [], [], 0
    try:
        for _ in range(ROUNDS):
            started = time.perf_counter()
            on_samples = run_script(source, setup, 10, 128)
            samples.append(time.perf_counter() - started)
            with tempfile.TemporaryDirectory() as directory:
                started = time.perf_counter()
                reply = run_script(source, setup, 10, 128, None, live(api.address, "crm.example-sales.com", Path(directory)))
                lives.append(time.perf_counter() - started)
            assert reply["record"]["rows"] == on_samples["record"]["rows"], "the live run must give the same rows"
            requests = reply["live"]["requests"]
    finally:
        api.close()
    s, v = statistics.median(samples), statistics.median(lives)
    print(f"{'run of sales-crm Opportunities':<40} {'median s':>9}")
    print(f"{'  on samples (review path)':<40} {s:>9.4f}")
    print(f"{'  live, local API':<40} {v:>9.4f}")
    print(f"{'  overhead per run':<40} {v - s:>9.4f}   ({requests} requests, {(v - s) / requests * 1000:.2f} ms each;"
          f" rows {on_samples['record']['rows']})")


def rows_per_second():
    def page(request):
        number = int(request["query"].get("page", ["0"])[0])
        if number >= PAGES:
            return 200, {}, "[]"
        rows = [{"id": number * PAGE_ROWS + i, "name": f"item {i}", "amount": i * 1.5, "day": "2026-01-02",
                 "note": "a, \"quoted\" cell"} for i in range(PAGE_ROWS)]
        return 200, {"Content-Type": "application/json"}, json.dumps(rows)

    api = LocalApi({"/rows": page})
    source = """
      for (var p = 0; ; p++) {
        var rows = JSON.parse(httprequest.get('https://api.example.com/rows?page=' + p));
        if (!rows.length) { break; }
        datagrid.magicParseJSON(rows);
      }"""
    setup = {"hosts": ["api.example.com"], "responses": [], "account": {}, "parameters": {}, "masks": []}
    import django

    django.setup()
    from runs import services

    class Run:
        pk = "bench"

    times = []
    try:
        for _ in range(max(1, ROUNDS // 2)):
            with tempfile.TemporaryDirectory() as directory:
                workdir = Path(directory)
                started = time.perf_counter()
                reply = run_script(source, setup, 60, 512, 120, live(api.address, "api.example.com", workdir))
                from django.conf import settings
                from django.test import override_settings

                storage = {"BACKEND": "django.core.files.storage.FileSystemStorage",
                           "OPTIONS": {"location": str(workdir / "csv")}}
                with override_settings(STORAGES={**settings.STORAGES, "live_runs": storage}):
                    name, _ = services._store_csv(Run(), [c["name"] for c in reply["record"]["columns"]],
                                                  workdir / "rows.csv", workdir)
                times.append(time.perf_counter() - started)
                lines = sum(1 for _ in open(workdir / "csv" / name, encoding="utf-8"))
                assert reply["status"] == "ok" and lines == PAGES * PAGE_ROWS + 1, (reply["status"], lines)
    finally:
        api.close()
    t = statistics.median(times)
    print(f"\n{PAGES * PAGE_ROWS:,} rows to CSV (live, 10 pages): {t:.2f} s median -> {PAGES * PAGE_ROWS / t:,.0f} rows/s")


if __name__ == "__main__":
    overhead()
    rows_per_second()
