"""A small, persistent, thread-safe pool of sandbox worker processes.

Why processes started with `subprocess` and not `multiprocessing`: the review runs
inside django-q2 workers, which are daemonic multiprocessing processes and may not
start multiprocessing children. Why persistent: starting Python and V8 costs a few
hundred milliseconds, a job on a warm worker costs a few.

A worker that dies or hangs is killed and replaced; the job it was running comes
back as a status ("timeout", "memory-limit" or "crashed: ...") that the engine turns
into a finding, so the calling process always goes on.
"""

from __future__ import annotations

import atexit
import itertools
import json
import os
import selectors
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Time a worker gets beyond the job's own timeout before it counts as hung.
HANG_GRACE_SECONDS = 5.0
START_TIMEOUT_SECONDS = 30.0


class WorkerDied(Exception):
    def __init__(self, status: str):
        super().__init__(status)
        self.status = status


class SandboxWorker:
    def __init__(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
        # stderr goes to a file: a pipe nobody reads could fill up and block the worker,
        # and V8's last words tell an out-of-memory abort from another crash.
        self.stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "review.engine.sandbox_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            cwd=PROJECT_ROOT,
            env=env,
            text=True,
            encoding="utf-8",
        )
        self._selector = selectors.DefaultSelector()
        self._selector.register(self.process.stdout, selectors.EVENT_READ)
        self._read_line(START_TIMEOUT_SECONDS)

    def alive(self) -> bool:
        return self.process.poll() is None

    def request(self, job: dict, timeout: float) -> dict:
        try:
            self.process.stdin.write(json.dumps(job) + "\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise WorkerDied(self._death_status())
        return json.loads(self._read_line(timeout))

    def _read_line(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                raise WorkerDied("timeout")
            if self._selector.select(remaining):
                # The worker writes whole lines and flushes, so readline does not block long.
                line = self.process.stdout.readline()
                if not line:
                    raise WorkerDied(self._death_status())
                return line

    def _death_status(self) -> str:
        self.process.wait(timeout=5)
        self.stderr.seek(0)
        last_words = self.stderr.read().decode("utf-8", "replace")
        if "out of memory" in last_words.lower() or "heap limit" in last_words.lower():
            return "memory-limit"
        return f"crashed: the sandbox worker exited with status {self.process.returncode}"

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)

    def close(self) -> None:
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()
        self._selector.close()
        self.stderr.close()


class SandboxPool:
    def __init__(self, size: int = 2) -> None:
        self.size = max(1, size)
        self._idle: list[SandboxWorker] = []
        self._busy = 0
        self._cond = threading.Condition()
        self._ids = itertools.count(1)

    def submit(self, job: dict, timeout: float) -> dict:
        """Run one job on a free worker; blocks while all workers are busy."""
        worker = self._acquire()
        healthy = False
        try:
            reply = worker.request({**job, "id": next(self._ids)}, timeout + HANG_GRACE_SECONDS)
            healthy = True
            return reply
        except WorkerDied as death:
            return {"status": death.status}
        finally:
            self._release(worker, healthy and worker.alive())

    def _acquire(self) -> SandboxWorker:
        with self._cond:
            while not self._idle and self._busy >= self.size:
                self._cond.wait()
            self._busy += 1
            if self._idle:
                return self._idle.pop()
        try:
            return SandboxWorker()  # started outside the lock: it takes a while
        except BaseException:
            with self._cond:
                self._busy -= 1
                self._cond.notify()
            raise

    def _release(self, worker: SandboxWorker, reusable: bool) -> None:
        if not reusable:
            worker.kill()
            worker.close()
        with self._cond:
            self._busy -= 1
            if reusable:
                self._idle.append(worker)
            self._cond.notify()

    def warm_up(self) -> None:
        """Start every worker now, so the first review does not pay for it."""
        workers = [self._acquire() for _ in range(self.size)]
        for worker in workers:
            self._release(worker, worker.alive())

    def close(self) -> None:
        with self._cond:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.close()


_shared_pool: SandboxPool | None = None
_shared_lock = threading.Lock()


def shared_pool(size: int = 2) -> SandboxPool:
    """The process-wide pool, created on first use and closed at exit."""
    global _shared_pool
    with _shared_lock:
        if _shared_pool is None:
            _shared_pool = SandboxPool(size)
            atexit.register(_shared_pool.close)
        return _shared_pool
