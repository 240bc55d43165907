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
# How long a job waits for a busy worker before the pool starts another one.
SPAWN_AFTER_SECONDS = 0.05
# Runs of a job beyond the first when its worker crashed (see SandboxPool.submit).
CRASH_RETRIES = 1


class WorkerDied(Exception):
    def __init__(self, status: str):
        super().__init__(status)
        self.status = status


class SandboxWorker:
    COMMAND = (sys.executable, "-m", "review.engine.sandbox_worker")

    def __init__(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
        # stderr goes to a file: a pipe nobody reads could fill up and block the worker,
        # and V8's last words tell an out-of-memory abort from another crash.
        self.stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            list(self.COMMAND),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            cwd=PROJECT_ROOT,
            env=env,
        )
        self._pending = bytearray()  # what the worker wrote after the last whole line
        self._selector = selectors.DefaultSelector()
        self._selector.register(self.process.stdout, selectors.EVENT_READ)
        # Jobs are written to the pipe's descriptor without blocking, never through the
        # buffered file: a worker that stops reading must not hold us past the deadline,
        # and a buffered file's lock is a wait that no signal or timeout can end.
        os.set_blocking(self.process.stdin.fileno(), False)
        self._write_selector = selectors.DefaultSelector()
        self._write_selector.register(self.process.stdin, selectors.EVENT_WRITE)
        try:
            self._read_line(START_TIMEOUT_SECONDS)
        except WorkerDied as death:
            self.close()
            # Not a finding: the machine, not the connector, is at fault; the caller's
            # error handling records "could not check" and retries.
            raise RuntimeError(f"The sandbox worker did not start ({death.status}).") from None

    def alive(self) -> bool:
        return self.process.poll() is None

    def request(self, job: dict, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        self._write_all(json.dumps(job).encode("utf-8") + b"\n", deadline)
        line = self._read_line(deadline - time.monotonic())
        try:
            reply = json.loads(line)
        except ValueError:
            reply = None
        if not isinstance(reply, dict) or reply.get("id") != job.get("id"):
            self.kill()
            raise WorkerDied("crashed: the sandbox worker sent an unreadable reply")
        return reply

    def _ready(self, selector: selectors.BaseSelector, deadline: float) -> bool:
        """Whether the pipe is ready before the deadline; past it, the worker is hung: end it."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            self.kill()
            raise WorkerDied("timeout")
        return bool(selector.select(remaining))

    def _write_all(self, data: bytes, deadline: float) -> None:
        """Write a whole job, or WorkerDied; never blocks past the deadline.

        A job with a bundle's samples is larger than a pipe holds (64 KiB): a worker that
        stopped reading (hung, stopped, its reader gone) would otherwise block us for ever.
        """
        fd = self.process.stdin.fileno()
        view = memoryview(data)
        while view:
            if not self._ready(self._write_selector, deadline):
                continue
            try:
                view = view[os.write(fd, view):]
            except BlockingIOError:
                continue
            except OSError:  # BrokenPipeError: it died
                raise WorkerDied(self._death_status()) from None

    def _read_line(self, timeout: float) -> bytes:
        """One whole line from the worker, or WorkerDied; never blocks past the deadline.

        Raw reads, not readline(): a worker that dies or hangs halfway through a line
        must not leave us blocked in readline() or parsing half a reply.
        """
        deadline = time.monotonic() + timeout
        fd = self.process.stdout.fileno()
        while (end := self._pending.find(b"\n")) < 0:
            if not self._ready(self._selector, deadline):
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                raise WorkerDied(self._death_status())
            self._pending += chunk
        line = bytes(self._pending[:end])
        del self._pending[: end + 1]
        return line

    def _death_status(self) -> str:
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()  # it closed its pipes but lives on: end it
        self.stderr.seek(0)
        last_words = self.stderr.read().decode("utf-8", "replace").lower()
        if "out of memory" in last_words or "heap limit" in last_words:
            return "memory-limit"
        return f"crashed: the sandbox worker exited with status {self.process.returncode}"

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)

    def close(self) -> None:
        """End the worker: its stdin closing makes it exit; kill it if it does not."""
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()
        self._close_files()

    def forget(self) -> None:
        """In a forked child: drop our copies of the parent's pipes, leave the process alone.

        A child holding the write end of the worker's stdin would keep the worker alive
        after the parent exits, and two processes must never talk to one worker.
        """
        try:
            self.process.stdin.close()
        except OSError:
            pass
        self._close_files()

    def _close_files(self) -> None:
        self._selector.close()
        self._write_selector.close()
        self.process.stdout.close()
        self.stderr.close()


class SandboxPool:
    def __init__(self, size: int = 2) -> None:
        self.size = max(1, size)
        self._idle: list[SandboxWorker] = []
        self._workers: set[SandboxWorker] = set()  # idle and busy
        self._busy = 0
        self._starting = 0  # prestarted workers not yet ready (counted in _busy too)
        self._cond = threading.Condition()
        self._ids = itertools.count(1)

    def prestart(self, count: int = 1) -> None:
        """Start `count` workers now, in parallel, so the first jobs do not wait for one."""
        threads = [threading.Thread(target=self._start_idle) for _ in range(min(count, self.size) - len(self._workers))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _start_idle(self) -> None:
        with self._cond:
            if len(self._workers) >= self.size:
                return
            self._busy += 1  # counted as busy while it starts, so _acquire does not start another
            self._starting += 1
        try:
            worker = SandboxWorker()
        except BaseException as exc:
            # Whatever went wrong, jobs waiting for this worker must stop waiting.
            with self._cond:
                self._busy -= 1
                self._starting -= 1
                self._cond.notify_all()
            if isinstance(exc, RuntimeError):
                return  # a job that needs a worker will start one and report the failure
            raise
        with self._cond:
            self._workers.add(worker)
            self._starting -= 1
            self._cond.notify_all()  # every job waiting for it starts its 50 ms of grace
        self._release(worker, True)

    def submit(self, job: dict, timeout: float) -> dict:
        """Run one job on a free worker; blocks while all workers are busy.

        A worker that crashed (killed from outside, died while idle, garbled its reply) is
        replaced and the job runs once more on a fresh one: our crash must never become
        the connector's finding. Its limits (timeout, memory-limit) are not retried, and a
        job that crashes a fresh worker too is reported as it is.
        """
        for attempt in range(1 + CRASH_RETRIES):
            reply = self._submit_once(job, timeout)
            if not str(reply.get("status", "")).startswith("crashed"):
                return reply
        return reply

    def _submit_once(self, job: dict, timeout: float) -> dict:
        worker = self._acquire()
        healthy = False
        try:
            reply = worker.request({**job, "id": next(self._ids)}, timeout + HANG_GRACE_SECONDS)
            # A worker whose memory grew past its bound asks to be replaced.
            healthy = not reply.pop("retire", False)
            return reply
        except WorkerDied as death:
            return {"status": death.status}
        finally:
            self._release(worker, healthy and worker.alive())

    def _acquire(self) -> SandboxWorker:
        # A worker costs ~0.1 s of CPU to start and most jobs take milliseconds: while
        # some worker exists, wait a moment for it before starting another one.
        deadline = time.monotonic() + SPAWN_AFTER_SECONDS
        with self._cond:
            while not self._idle:
                if self._starting:
                    # A prestarted worker is on its way: a second one would cost as much
                    # CPU and be ready no sooner. Its 50 ms of grace count from when it is.
                    self._cond.wait()
                    deadline = time.monotonic() + SPAWN_AFTER_SECONDS
                    continue
                waited_enough = not self._workers or time.monotonic() >= deadline
                if self._busy < self.size and waited_enough:
                    break
                self._cond.wait(None if self._busy >= self.size else max(0.0, deadline - time.monotonic()))
            self._busy += 1
            if self._idle:
                return self._idle.pop()
        try:
            worker = SandboxWorker()  # started outside the lock: it takes a while
        except BaseException:
            with self._cond:
                self._busy -= 1
                self._cond.notify()
            raise
        with self._cond:
            self._workers.add(worker)
        return worker

    def _release(self, worker: SandboxWorker, reusable: bool) -> None:
        try:
            if not reusable:
                worker.kill()
                worker.close()
        finally:
            # Even when ending the worker failed (a kill not reaped in time): a place left
            # counted busy would make every later job of this process wait for ever.
            with self._cond:
                self._busy -= 1
                if reusable:
                    self._idle.append(worker)
                else:
                    self._workers.discard(worker)
                self._cond.notify()

    def close(self) -> None:
        """Close the idle workers; kill the busy ones (their callers get a "crashed" reply)."""
        with self._cond:
            idle, self._idle = self._idle, []
            busy = self._workers.difference(idle)
            self._workers = busy
        for worker in idle:
            worker.close()
        for worker in busy:
            worker.kill()  # the thread using it closes it when its reply fails

    def forget(self) -> None:
        """After a fork, in the child: let go of the parent's workers without ending them."""
        for worker in list(self._workers):
            worker.forget()
        self._idle, self._workers, self._busy = [], set(), 0


_shared_pool: SandboxPool | None = None
_shared_lock = threading.Lock()


def shared_pool(size: int = 2) -> SandboxPool:
    """The process-wide pool, created on first use and closed at exit."""
    global _shared_pool
    with _shared_lock:
        if _shared_pool is None:
            _shared_pool = SandboxPool(size)
        return _shared_pool


@atexit.register
def _close_shared_pool() -> None:
    if _shared_pool is not None:
        _shared_pool.close()


def _forget_shared_pool_in_child() -> None:
    # django-q2 forks its workers; a pool inherited from the parent belongs to the parent.
    global _shared_pool, _shared_lock
    _shared_lock = threading.Lock()  # another thread may have held it at the fork
    if _shared_pool is not None:
        _shared_pool.forget()
        _shared_pool = None


os.register_at_fork(after_in_child=_forget_shared_pool_in_child)
