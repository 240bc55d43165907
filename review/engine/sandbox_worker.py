"""A sandbox worker process: runs connector scripts in mini-racer, one job a line.

Started by review.engine.sandbox_pool as `python -m review.engine.sandbox_worker`.
It reads JSON lines on stdin and writes one JSON line per job on stdout:

    {"id": 1, "kind": "syntax", "source": "...", "seconds": 10}
        -> {"id": 1, "error": null | {"message", "line", "column"}}
    {"id": 2, "kind": "run", "source": "...", "setup": {...}, "cpu_seconds": 10, "heap_mb": 128}
        -> {"id": 2, "status": "ok"|"timeout"|"wall-timeout"|"memory-limit", "cpu_seconds": .., "record": {...}}

It lives in its own process because V8 can abort the whole process on some
out-of-memory paths; the pool turns such a death into a finding. It imports nothing
from Django or the rest of the engine so that it starts fast.

The limits (bundle-format.md, "The sandbox"):
  * V8 refuses every compilation from a string (`--disallow-code-generation-from-strings`):
    eval, the Function constructor however it is reached, a timer given a string. The
    script itself is compiled by the embedder (MiniRacer.eval), which the flag allows.
  * CPU time is CPU time: a watcher reads this process's CPU clock while V8 runs and
    stops the run when it passes the limit, so a busy machine never turns an honest run
    into a timeout. A wall-clock bound (3 x the limit + 10 s) only catches a run that
    waits without computing.
  * Memory is bounded twice: V8's hard heap limit, and RLIMIT_DATA on this process for
    what V8 allocates outside its heap (array buffers), set per run above what the
    process already uses.
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import re
import resource
import sys
import threading
import time
from concurrent.futures import CancelledError
from concurrent.futures import TimeoutError as FutureTimeout

from py_mini_racer import JSEvalException, JSOOMException, JSParseException, JSTimeoutException, MiniRacer, init_mini_racer

from review.engine import wall_clock
from review.engine.sandbox_runtime import runtime_source

# Assembled once per worker process, compiled once per run (sandbox_runtime.py).
RUNTIME_JS = runtime_source()
V8_FLAGS = ("--single-threaded", "--disallow-code-generation-from-strings")
CODE_REFUSED = "Code generation from strings disallowed"
POLL_SECONDS = 0.01  # how often the watcher reads the CPU clock
# Room above the heap limit for what a run needs besides its heap: compiled code, the
# record, V8's bookkeeping. Array buffers share the heap limit's budget.
MEMORY_MARGIN_MB = 64
# A worker whose memory grew this much over its start (fragmentation) is replaced.
RECYCLE_GROWTH_MB = 256
MAX_TEXT = 500  # characters kept of an error's name or message
# A run that has computed this long is a slow one (honest runs take milliseconds): its
# worker lowers its own priority, so the machine's other reviews (another developer's
# honest one) keep their share of the cores. A process cannot raise its priority back, so
# the worker retires after the run and the pool starts a fresh one.
NICE_AFTER_CPU_SECONDS = 0.5
NICE_INCREMENT = 10
_niced = False


def _lower_priority() -> None:
    global _niced
    if not _niced:
        _niced = True
        try:
            os.nice(NICE_INCREMENT)
        except OSError:
            pass
ERROR_HEAD = re.compile(r"^([^\n]*?):(\d+): ([^\n]*)")
SCRIPT_FRAME = re.compile(r"user-script\.js:(\d+):(\d+)")
ERROR_NAME = re.compile(r"^([A-Za-z_$][\w$.]{0,60}): ?(.*)$", re.DOTALL)
SCRIPT_URL = "\n//# sourceURL=user-script.js"

init_mini_racer(flags=V8_FLAGS, ignore_duplicate_init=True)


class Stopped(Exception):
    """A run passed a limit; `status` is the worker's reply status."""

    def __init__(self, status: str):
        super().__init__(status)
        self.status = status


class Watch:
    """The CPU time and wall-clock time left to one run, shared by its calls into V8."""

    def __init__(self, cpu_seconds: float, wall_seconds: float):
        self.cpu_left = cpu_seconds
        self.wall_deadline = time.monotonic() + wall_seconds
        self.used = 0.0

    def call(self, ctx: MiniRacer, coroutine_factory):
        """Run one coroutine on mini-racer's loop; stop it at the CPU or wall limit."""
        # mini-racer runs V8 on its own event loop thread; MiniRacer.eval(timeout_sec=)
        # would bound wall-clock time only, so the loop is reached the way eval does.
        loop = ctx._ctx.event_loop  # noqa: SLF001 (pinned mini-racer==0.14.1)
        future = asyncio.run_coroutine_threadsafe(coroutine_factory(), loop)
        since = time.process_time()
        try:
            while True:
                try:
                    return future.result(timeout=POLL_SECONDS)
                except FutureTimeout:
                    pass
                spent = time.process_time() - since
                if spent > self.cpu_left:
                    raise Stopped("timeout")
                if self.used + spent > NICE_AFTER_CPU_SECONDS:
                    _lower_priority()
                if time.monotonic() > self.wall_deadline:
                    raise Stopped("wall-timeout")
        except Stopped:
            future.cancel()
            _wait_cancelled(future)
            raise
        finally:
            spent = time.process_time() - since
            self.used += spent
            self.cpu_left -= spent


def _wait_cancelled(future) -> None:
    try:
        future.result(timeout=1)
    except (CancelledError, FutureTimeout, Exception):
        pass


def check_syntax(source: str, seconds: float) -> dict | None:
    """Let V8 decide whether the script parses, without running any of it.

    V8 compiles a whole script before it runs its first statement, so a script that
    starts with `throw 0;` is compiled (a syntax error is reported with its place) and
    then stops at once. Code generation from strings is refused, so the Function
    constructor cannot be the compiler here.
    """
    ctx = MiniRacer()
    try:
        ctx.set_hard_memory_limit(256 * 1024 * 1024)
        Watch(seconds, wall_clock.wall_seconds(seconds)).call(ctx, lambda: ctx.eval_cancelable("throw 0;\n" + source))
        return None
    except JSParseException as exc:
        return _syntax_error_from(str(exc), source)
    except Stopped as stop:
        return {"message": f"The syntax check passed its limit ({stop.status}).", "line": None, "column": None}
    except (JSEvalException, JSOOMException):
        return None  # it compiled, and threw 0 (or ran out of memory compiling: the run will say)
    finally:
        ctx.close()


def _syntax_error_from(text: str, source: str) -> dict:
    lines = text.split("\n")
    match = ERROR_HEAD.match(text)
    if not match:
        return {"message": lines[0][:MAX_TEXT], "line": None, "column": None}
    line = max(1, int(match.group(2)) - 1)  # the `throw 0;` line
    column = None
    if len(lines) > 2 and "^" in lines[2]:
        column = lines[2].index("^") + 1
    source_lines = source.split("\n")
    if line > len(source_lines):
        # "Unexpected end of input" may point past the script's end: show its end.
        line, column = len(source_lines), len(source_lines[-1]) + 1
    return {"message": match.group(3)[:MAX_TEXT], "line": line, "column": column}


def script_error(text: str) -> dict:
    """Name, message and the script's place of an error the script's top level threw.

    The script is compiled by the embedder, so its uncaught error reaches Python as
    V8's message text: "<file>:<line>: <Name>: <message>", the source line, a caret,
    then the stack. The place is the first frame in the script's own file.
    """
    head = ERROR_HEAD.match(text)
    summary = head.group(3) if head else text.split("\n", 1)[0]
    named = ERROR_NAME.match(summary)
    name, message = (named.group(1), named.group(2)) if named else ("Error", summary)
    line = column = None
    if head and head.group(1) == "user-script.js":
        line = int(head.group(2))
        caret = text.split("\n")[2:3]
        column = caret[0].index("^") + 1 if caret and "^" in caret[0] else None
    else:
        frame = SCRIPT_FRAME.search(text)
        if frame:
            line, column = int(frame.group(1)), int(frame.group(2))
    return {"name": name[:MAX_TEXT], "message": message[:MAX_TEXT], "line": line, "column": column}


def run_script(source: str, setup: dict, cpu_seconds: float, heap_mb: int, wall_seconds: float | None = None,
               live: dict | None = None) -> dict:
    """Run one script against the runtime stubs within its CPU, wall-clock and memory limits.

    Evaluating the runtime returns its entry points; only this function holds them,
    so the script can neither call them (to restart the record) nor replace them.
    `live` (a live run only, live_bridge.py) answers the script's requests from the network.
    """
    _live_report[0] = None
    reply = _run_script(source, setup, cpu_seconds, heap_mb, wall_seconds, live)
    if live:
        reply["live"] = _live_report[0]
    return reply


_live_report = [None]  # what the last live run's exchange reported, whatever way the run ended


def _run_script(source, setup, cpu_seconds, heap_mb, wall_seconds, live):
    ctx = MiniRacer()
    bridge = None
    watch = Watch(cpu_seconds, wall_seconds or wall_clock.wall_seconds(cpu_seconds))
    status = "ok"
    stuck = False
    limited = _limit_memory(heap_mb)
    try:
        ctx.set_hard_memory_limit(int(heap_mb) * 1024 * 1024)
        runtime = ctx.eval(RUNTIME_JS, timeout_sec=5)
        start, threw, settle, result = (runtime[name] for name in ("start", "threw", "settle", "result"))
        if live:
            from review.engine.live_bridge import LiveBridge

            bridge = LiveBridge(ctx, runtime, live)
            setup = {**setup, "live": True}
        start(json.dumps(setup), timeout_sec=5)
        payload = None
        try:
            try:
                watch.call(ctx, lambda: ctx.eval_cancelable(source + SCRIPT_URL))
            except (JSParseException, JSEvalException) as exc:
                if _out_of_memory(ctx, exc):
                    raise JSOOMException() from None
                error = script_error(str(exc))
                threw(error["name"], error["message"], error["line"] or 0, error["column"] or 0, timeout_sec=5)
            # Timers, and timers set by promise callbacks V8 runs after each call: while
            # some are left, `result` answers with their number instead of the record.
            while not isinstance(payload := watch.call(ctx, lambda: result.cancelable()(False)), str):
                watch.call(ctx, lambda: settle.cancelable()())
        except Stopped as stop:
            status = stop.status
            if not _responsive(ctx):
                # Promise callbacks V8 runs between our calls are beyond a cancel: the
                # context never answers again. The reply goes out without the record
                # and this worker ends (a context that cannot be closed cannot be reused).
                stuck = True
                return {"status": status, "cpu_seconds": watch.used, "record": None, "stuck": True}
        except JSTimeoutException:
            status = "timeout"
        except JSOOMException:
            status = "memory-limit"
        except JSEvalException as exc:
            # A stack overflow in the stubs or an error thrown past our catch.
            status = "memory-limit" if _out_of_memory(ctx, exc) else "error:" + str(exc)[:300]
        if status == "memory-limit":
            # After an out-of-memory error the context cannot be trusted again.
            return {"status": status, "cpu_seconds": watch.used, "record": None}
        try:
            if not isinstance(payload, str):
                payload = result(True, timeout_sec=5)  # whatever timers are left
            record = json.loads(payload)
        except (JSTimeoutException, JSOOMException, JSEvalException, TypeError, ValueError):
            record = None
        return {"status": status, "cpu_seconds": watch.used, "record": record}
    finally:
        if bridge is not None:
            _live_report[0] = bridge.close()
        if not stuck:
            ctx.close()
        if limited:
            _unlimit_memory()


def _responsive(ctx: MiniRacer) -> bool:
    """Whether the context answers a trivial call within a second or two.

    Asked from a thread of its own: when V8 is busy with promise callbacks, mini-racer's
    event loop may itself be blocked, and then even a timeout on the call never fires.
    """
    answers = []

    def ask():
        try:
            answers.append(ctx.eval("0", timeout_sec=1) == 0)
        except Exception:  # noqa: BLE001 - a context that fails to answer is the answer
            answers.append(False)

    asking = threading.Thread(target=ask, daemon=True)
    asking.start()
    asking.join(2)
    return bool(answers and answers[0])


def _out_of_memory(ctx: MiniRacer, exc: Exception) -> bool:
    text = str(exc)
    return ctx.was_hard_memory_limit_reached() or "Array buffer allocation failed" in text[:2000]


def _data_bytes() -> int | None:
    """This process's private writable memory (what RLIMIT_DATA counts), from /proc."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _limit_memory(heap_mb: int) -> bool:
    """Cap what this process may allocate during one run; False where it cannot be read."""
    used = _data_bytes()
    if used is None:
        return False
    limit = used + (int(heap_mb) + MEMORY_MARGIN_MB) * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    return True


def _unlimit_memory() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    resource.setrlimit(resource.RLIMIT_DATA, (hard, hard))


def handle(job: dict) -> dict:
    if job["kind"] == "syntax":
        return {"error": check_syntax(job["source"], float(job["seconds"]))}
    if job["kind"] == "run":
        return run_script(job["source"], job["setup"], float(job["cpu_seconds"]), int(job["heap_mb"]),
                          float(job.get("wall_seconds") or 0) or None, job.get("live"))
    if job["kind"] == "ping":
        return {"pong": True}
    raise ValueError(f"unknown job kind {job['kind']!r}")


def main() -> None:
    jobs: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_jobs, args=(jobs,), daemon=True).start()
    # Pay the first-context cost (~60 ms) at start-up, not in the first run.
    MiniRacer().close()
    baseline = _data_bytes() or 0
    sys.stdout.write(json.dumps({"ready": True}) + "\n")
    sys.stdout.flush()
    while True:
        line = jobs.get()
        if not line.strip():
            continue
        job = json.loads(line)
        try:
            reply = handle(job)
        except Exception as exc:  # a broken job must not end the worker
            reply = {"status": "error:" + f"{type(exc).__name__}: {exc}"[:300]}
        reply["id"] = job.get("id")
        stuck = bool(reply.pop("stuck", False))
        retire = stuck or _niced or (_data_bytes() or 0) - baseline > RECYCLE_GROWTH_MB * 1024 * 1024
        if retire:
            reply["retire"] = True  # the pool ends this worker and starts a fresh one
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
        if retire:
            os._exit(0)


def _read_jobs(jobs: queue.Queue) -> None:
    """Hand every line of stdin to the main thread; exit the process when stdin closes.

    stdin closes when the pool closes this worker or when the parent process is gone,
    however it ended. Exiting from here, not between jobs, means a worker whose parent
    died never finishes a run of up to the CPU-time limit for nobody.
    """
    for line in sys.stdin:
        jobs.put(line)
    os._exit(0)


if __name__ == "__main__":
    main()
