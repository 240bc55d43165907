"""Jobs that arrive while a prestarted worker is still starting wait for it.

review_bundle prestarts one worker, then sends the syntax checks of both scripts at
once: a second worker started for them would cost as much CPU as the first (bench/).
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from review.engine import sandbox_pool
from review.engine.sandbox_pool import SandboxPool


def _counting_starts(monkeypatch):
    started = []
    real = sandbox_pool.SandboxWorker

    def worker():
        started.append(time.monotonic())
        return real()

    monkeypatch.setattr(sandbox_pool, "SandboxWorker", worker)
    return started


def _prestart_in_background(pool):
    thread = threading.Thread(target=pool.prestart, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not pool._starting and time.monotonic() < deadline:  # the worker is on its way
        time.sleep(0.001)
    assert pool._starting == 1
    return thread


def test_quick_jobs_sent_while_the_worker_starts_share_it(monkeypatch):
    started = _counting_starts(monkeypatch)
    pool = SandboxPool(2)
    try:
        thread = _prestart_in_background(pool)
        with ThreadPoolExecutor(max_workers=2) as executor:
            replies = list(executor.map(lambda _: pool.submit({"kind": "ping"}, timeout=10), range(2)))
        thread.join()
        assert all(r["pong"] for r in replies)
        assert len(started) == 1 and len(pool._workers) == 1 and pool._starting == 0
    finally:
        pool.close()


def test_a_job_behind_a_long_one_does_not_wait_for_it(monkeypatch):
    started = _counting_starts(monkeypatch)
    # A loop that computes: the sandbox's clock moves only when read, so a loop waiting on
    # Date.now() would end at once.
    busy = {"kind": "run", "source": "var n = 0; while (n < 1e9) { n++; }",
            "setup": {"hosts": [], "responses": []}, "cpu_seconds": 8, "heap_mb": 64}
    pool = SandboxPool(2)
    finished = {}

    def submit(name, job):
        reply = pool.submit(job, 10)
        finished[name] = time.monotonic()
        return reply

    try:
        thread = _prestart_in_background(pool)
        with ThreadPoolExecutor(max_workers=2) as executor:
            long_job = executor.submit(submit, "long", busy)
            ping = executor.submit(submit, "ping", {"kind": "ping"})
            assert ping.result()["pong"] is True
            assert long_job.result()["status"] == "ok"
        thread.join()
        # Whichever job got the prestarted worker first, the ping did not wait for the
        # long run: it ran first, or on a second worker started after its 50 ms of grace.
        assert finished["ping"] < finished["long"]
        assert len(started) in (1, 2)
    finally:
        pool.close()


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
@pytest.mark.parametrize("failure", [RuntimeError("The sandbox worker did not start (test)."), OSError(24, "EMFILE")])
def test_a_prestart_that_fails_leaves_waiting_jobs_to_start_their_own(monkeypatch, failure):
    real = sandbox_pool.SandboxWorker
    gate = threading.Event()
    calls = []

    def worker():
        calls.append(1)
        if len(calls) == 1:  # the prestart: fails once the jobs are waiting for it
            gate.wait(10)
            raise failure
        return real()

    monkeypatch.setattr(sandbox_pool, "SandboxWorker", worker)
    pool = SandboxPool(1)
    try:
        thread = threading.Thread(target=pool.prestart, daemon=True)
        thread.start()
        while not pool._starting:
            time.sleep(0.001)
        with ThreadPoolExecutor(max_workers=1) as executor:
            ping = executor.submit(pool.submit, {"kind": "ping"}, 10)
            time.sleep(0.05)
            gate.set()
            assert ping.result(timeout=20)["pong"] is True
        thread.join()
        assert len(calls) == 2
    finally:
        pool.close()
