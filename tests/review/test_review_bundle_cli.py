"""review_bundle with several paths, and manage.py's fast path that skips Django's start-up."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from review.engine.config import EngineConfig
from review.engine.sandbox_pool import SandboxPool
from tests.review.helpers import run_review_bundle

ROOT = Path(__file__).resolve().parents[2]
# As a developer runs it: pytest-django's own settings module would turn the fast path off.
PLAIN_ENV = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
BUNDLES = ROOT / "tests" / "fixtures" / "bundles"


def test_it_prints_one_compact_json_line_per_bundle_with_its_path_and_exits_with_the_worst():
    paths = [str(BUNDLES / "sales-crm"), str(BUNDLES / "sales-crm-xhr")]
    code, out, _ = run_review_bundle(*paths, "--format", "json")
    lines = out.splitlines()
    assert code == 1 and len(lines) == 2
    results = [json.loads(line) for line in lines]
    assert [(r["path"], r["verdict"]) for r in results] == [(paths[0], "pass"), (paths[1], "fail")]
    assert list(results[0]) == ["path", "ruleset", "verdict", "findings", "requests", "performance"]


def test_an_unreadable_bundle_among_several_is_one_line_on_stderr_and_exit_2():
    code, out, err = run_review_bundle(str(BUNDLES / "sales-crm"), "does/not/exist", "--format", "json")
    assert code == 2
    assert [json.loads(line)["verdict"] for line in out.splitlines()] == ["pass"]
    assert err.strip() == "does/not/exist: no such file or folder; give the path of a bundle folder or .zip"


def test_the_text_format_heads_each_bundle_with_its_path():
    code, out, _ = run_review_bundle(str(BUNDLES / "sales-crm"), str(BUNDLES / "oauth2-tasks"))
    assert code == 0
    assert out.index(f"== {BUNDLES / 'sales-crm'}") < out.index(f"== {BUNDLES / 'oauth2-tasks'}")
    assert "where the data goes:" in out and "example-sales.com (crm.example-sales.com): supplied data" in out


def without_timings(result):
    """The same result but for the measured CPU time and what is computed from it."""
    for row in result["performance"]:
        for key in ("cpu_seconds", "modeled_seconds", "records_per_5_min"):
            row.pop(key)
    return result


def test_manage_py_runs_it_without_django_and_gives_the_same_json():
    paths = [str(BUNDLES / "sales-crm-exfiltration"), str(BUNDLES / "oauth2-tasks")]
    done = subprocess.run([sys.executable, "manage.py", "review_bundle", *paths, "--format", "json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env=PLAIN_ENV)
    assert done.returncode == 1, done.stderr
    fast = [without_timings(json.loads(line)) for line in done.stdout.splitlines()]
    _, out, _ = run_review_bundle(*paths, "--format", "json")
    assert fast == [without_timings(json.loads(line)) for line in out.splitlines()]


def test_manage_py_fast_path_exits_2_with_one_line_for_an_unreadable_bundle():
    done = subprocess.run([sys.executable, "manage.py", "review_bundle", "does/not/exist"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, env=PLAIN_ENV)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == ["does/not/exist: no such file or folder; give the path of a bundle folder or .zip"]


@pytest.mark.parametrize("env", [{}, {"SANDBOX_CPU_SECONDS": "3.5", "SANDBOX_HEAP_MB": "96",
                                      "SANDBOX_WORKERS": "1", "REVIEW_LATENCY_SECONDS": "0.25"}])
def test_the_fast_path_reads_the_same_settings_as_django(env):
    code = ("import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'portal.settings'; django.setup()\n"
            "from review.engine.config import EngineConfig as C\n"
            "print(C.from_environment() == C.from_settings(), C.from_environment())\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**PLAIN_ENV, **env})
    assert done.stdout.startswith("True"), done.stdout + done.stderr
    if env:
        assert "cpu_seconds=3.5" in done.stdout and "workers=1" in done.stdout


def test_a_prestarted_pool_has_its_workers_ready_and_serves_jobs():
    pool = SandboxPool(2)
    try:
        pool.prestart(2)
        assert len(pool._idle) == 2 and pool._busy == 0
        reply = pool.submit({"kind": "ping"}, timeout=10)
        assert reply["pong"] is True and len(pool._workers) == 2
    finally:
        pool.close()
    assert EngineConfig().workers == 2


def test_quick_jobs_at_once_share_one_worker_and_a_long_one_gets_a_second():
    from concurrent.futures import ThreadPoolExecutor

    pool = SandboxPool(2)
    try:
        pool.prestart()
        with ThreadPoolExecutor(max_workers=4) as executor:
            replies = list(executor.map(lambda _: pool.submit({"kind": "ping"}, timeout=10), range(4)))
        assert all(r["pong"] for r in replies) and len(pool._workers) == 1
        # A loop that computes (the sandbox's clock only moves when read: a loop on
        # Date.now() would end at once).
        busy = {"kind": "run", "source": "var n = 0; while (n < 2e9) { n++; }",
                "setup": {"hosts": [], "responses": []}, "cpu_seconds": 0.8, "heap_mb": 64}
        with ThreadPoolExecutor(max_workers=2) as executor:
            long_job = executor.submit(pool.submit, busy, 10)
            # The ping comes once the long job holds the worker (a fixed sleep let a loaded
            # machine send the ping first, and the two then shared one worker in turn).
            deadline = time.monotonic() + 10
            while (pool._idle or not pool._busy) and time.monotonic() < deadline:
                time.sleep(0.01)
            assert executor.submit(pool.submit, {"kind": "ping"}, 10).result()["pong"] is True
            # The ping waited 50 ms for the busy worker, then the pool started a second one
            # (counted now: the long job's worker retires after its slow run).
            assert len(pool._workers) == 2 and not long_job.done()
            assert long_job.result()["status"] == "timeout"  # computes until its CPU limit
    finally:
        pool.close()
