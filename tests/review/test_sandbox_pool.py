"""The sandbox pool under concurrent callers, and its workers' lifetime."""

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from review.engine import sandbox_pool
from review.engine.sandbox_pool import PROJECT_ROOT, SandboxPool, SandboxWorker

RUN = {"kind": "run", "setup": {"hosts": [], "responses": []}, "cpu_seconds": 5, "heap_mb": 32}


def _gone(pid, within=5.0):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_it_serves_many_threads_with_no_more_workers_than_its_size():
    pool = SandboxPool(size=2)
    try:
        jobs = [{**RUN, "source": f"datagrid.addColumn('a'); datagrid.addCell({i}); datagrid.endRow();"}
                for i in range(16)]
        with ThreadPoolExecutor(max_workers=8) as executor:
            replies = list(executor.map(lambda job: pool.submit(job, timeout=5), jobs))
        assert [r["status"] for r in replies] == ["ok"] * 16
        assert all(r["record"]["rows"] == 1 for r in replies)
        assert len(pool._workers) <= 2
    finally:
        pool.close()


def test_a_job_whose_worker_is_killed_mid_run_runs_again_on_a_fresh_worker():
    pool = SandboxPool(size=1)
    try:
        pool.submit({"kind": "ping"}, timeout=1)
        worker = pool._idle[0]
        killer = threading.Timer(0.3, worker.process.kill)  # SIGKILL, as an OOM killer or an operator
        killer.start()
        source = ("var x = 0; for (var i = 0; i < 3e8; i++) { x = (x + i) % 7; }\n"
                  "datagrid.addColumn('a'); datagrid.addCell(x); datagrid.endRow();")
        reply = pool.submit({**RUN, "source": source, "cpu_seconds": 20}, timeout=30)
        assert reply["status"] == "ok" and reply["record"]["rows"] == 1, reply
        assert not worker.alive() and worker not in pool._workers
    finally:
        pool.close()


def test_a_job_that_crashes_its_fresh_worker_too_is_reported_as_crashed(monkeypatch):
    from review.engine.sandbox_pool import WorkerDied

    pool = SandboxPool(size=1)
    tries = []

    def dies(self, job, timeout):
        tries.append(job["id"])
        self.kill()
        raise WorkerDied("crashed: the sandbox worker exited with status -6")

    monkeypatch.setattr(SandboxWorker, "request", dies)
    try:
        reply = pool.submit({**RUN, "source": "1"}, timeout=5)
        assert reply["status"].startswith("crashed") and len(tries) == 2
    finally:
        pool.close()


def test_a_worker_that_cannot_be_ended_still_frees_its_place(monkeypatch):
    # A size-1 pool whose only worker failed to end (its kill not reaped in time) must not
    # count the place busy for ever: the next job would wait on it with no timeout.
    pool = SandboxPool(size=1)
    try:
        pool.submit({"kind": "ping"}, timeout=5)
        [worker] = pool._idle
        worker.process.kill()  # dies idle: the next job finds it dead and replaces it

        def kill_not_reaped(self):
            raise subprocess.TimeoutExpired("sandbox_worker", 5)

        monkeypatch.setattr(SandboxWorker, "kill", kill_not_reaped)
        try:
            pool.submit({**RUN, "source": "datagrid.addColumn('a');"}, timeout=5)
        except subprocess.TimeoutExpired:
            pass
        monkeypatch.undo()
        replies = []
        thread = threading.Thread(target=lambda: replies.append(pool.submit({"kind": "ping"}, timeout=5)), daemon=True)
        thread.start()
        thread.join(timeout=15)
        assert replies, "the next job waited for a place that was never freed"
    finally:
        pool.close()


def test_a_worker_exits_when_its_stdin_closes_even_mid_job():
    worker = SandboxWorker()
    try:
        job = {**RUN, "id": 1, "source": "while (true) {}", "cpu_seconds": 30}
        worker.process.stdin.write(json.dumps(job).encode() + b"\n")
        worker.process.stdin.flush()
        time.sleep(0.2)  # the run has started
        worker.process.stdin.close()
        assert worker.process.wait(timeout=3) == 0
    finally:
        worker.kill()


def test_the_workers_do_not_outlive_a_parent_that_dies_without_cleaning_up():
    script = textwrap.dedent("""
        import os, sys
        from review.engine.sandbox_pool import shared_pool
        pool = shared_pool(2)
        pool.submit({"kind": "ping"}, timeout=5)
        print(" ".join(str(w.process.pid) for w in pool._workers), flush=True)
        os._exit(0)  # no atexit, as if killed
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True,
                         timeout=30, check=True).stdout
    pids = [int(pid) for pid in out.split()]
    assert pids
    assert all(_gone(pid) for pid in pids)


def test_a_forked_child_lets_go_of_the_parents_workers():
    # Forked in a fresh interpreter, not in this test process: a child of a pytest-xdist
    # worker holds copies of the worker's channel to the controller.
    script = textwrap.dedent("""
        import os
        from review.engine import sandbox_pool
        pool = sandbox_pool.shared_pool(1)
        pool.submit({"kind": "ping"}, timeout=5)
        pid = os.fork()
        if pid == 0:  # the child
            ok = sandbox_pool._shared_pool is None and sandbox_pool.shared_pool(1) is not pool
            os._exit(0 if ok else 1)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0, "the child kept the parent's pool"
        assert pool.submit({"kind": "ping"}, timeout=5)["pong"] is True
        pool.close()
    """)
    subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, check=True, timeout=60)


def test_a_worker_that_ran_a_slow_job_lowers_its_priority_and_retires_after_it():
    worker = SandboxWorker()
    try:
        quick = worker.request({**RUN, "id": 1, "source": "1"}, timeout=10)
        assert quick["status"] == "ok" and "retire" not in quick
        assert os.getpriority(os.PRIO_PROCESS, worker.process.pid) == os.getpriority(os.PRIO_PROCESS, 0)
        slow = worker.request({**RUN, "id": 2, "source": "while (true) {}", "cpu_seconds": 1}, timeout=15)
        # The slow run gave up its share of the cores to the other reviews, and a process
        # cannot take its priority back: the pool replaces this worker.
        assert slow["status"] == "timeout" and slow["retire"] is True
        assert worker.process.wait(timeout=5) == 0
    finally:
        worker.kill()


class _DeafWorker(SandboxWorker):
    """Says it is ready, then never reads a job: hung, stopped, or its reader thread gone."""

    COMMAND = (sys.executable, "-c", "import time; print('{\"ready\": true}', flush=True); time.sleep(120)")


def test_a_job_larger_than_a_pipe_to_a_worker_that_stopped_reading_ends_at_its_deadline():
    worker = _DeafWorker()
    try:
        started = time.monotonic()
        # A bundle's samples make jobs far larger than the 64 KiB a pipe holds.
        job = {**RUN, "id": 1, "source": "1", "setup": {"hosts": [], "responses": [{"body": "x" * (1 << 20)}]}}
        with pytest.raises(sandbox_pool.WorkerDied) as death:
            worker.request(job, timeout=1.0)
        assert death.value.status == "timeout"
        assert time.monotonic() - started < 5
        assert not worker.alive()  # ended, so its place can go to a fresh one
    finally:
        worker.kill()
