"""A sandbox worker process: runs connector scripts in mini-racer, one job a line.

Started by review.engine.sandbox_pool as `python -m review.engine.sandbox_worker`.
It reads JSON lines on stdin and writes one JSON line per job on stdout:

    {"id": 1, "kind": "syntax", "source": "...", "seconds": 10}
        -> {"id": 1, "error": null | {"message", "line", "column"}}
    {"id": 2, "kind": "run", "source": "...", "setup": {...}, "cpu_seconds": 10, "heap_mb": 128}
        -> {"id": 2, "status": "ok"|"timeout"|"memory-limit", "cpu_seconds": .., "record": {...}}

It lives in its own process because V8 can abort the whole process on some
out-of-memory paths; the pool turns such a death into a finding. It imports nothing
from Django or the rest of the engine so that it starts fast.
"""

from __future__ import annotations

import json
import os
import queue
import re
import sys
import threading
import time
from pathlib import Path

from py_mini_racer import JSEvalException, JSOOMException, JSParseException, JSTimeoutException, MiniRacer

# Domo's larger helpers (hashes and JWT; XML, sql and aws) live in files of their own
# and are placed inside the runtime's closure, where they share its captured built-ins.
RUNTIME_JS = (Path(__file__).with_name("sandbox_runtime.js")).read_text(encoding="utf-8").replace(
    "  // @@HELPERS@@\n",
    "".join(Path(__file__).with_name(name).read_text(encoding="utf-8")
            for name in ("sandbox_crypto.js", "sandbox_helpers.js")),
    1,
)

# `new Function(src)` wraps the source in "(function anonymous(\n) {\n", so V8
# reports its line two lines later than the script's own.
FUNCTION_WRAPPER_LINES = 2
V8_LOCATION = re.compile(r"^[^\n]*?:(\d+): (SyntaxError: [^\n]*)")


def check_syntax(source: str, seconds: float) -> dict | None:
    """Let V8 decide whether the script parses, without running any of it.

    The Function constructor only compiles its body; a body that is not valid
    JavaScript throws a SyntaxError whose text carries the line and a caret.
    """
    ctx = MiniRacer()
    try:
        ctx.set_hard_memory_limit(256 * 1024 * 1024)
        ctx.eval(f"new Function({json.dumps(source)}); 0", timeout_sec=seconds)
        return None
    except (JSEvalException, JSParseException) as exc:
        return _syntax_error_from(str(exc), source)
    finally:
        ctx.close()


def _syntax_error_from(text: str, source: str) -> dict:
    lines = text.split("\n")
    match = V8_LOCATION.match(text)
    if not match:
        return {"message": lines[0], "line": None, "column": None}
    line = max(1, int(match.group(1)) - FUNCTION_WRAPPER_LINES)
    column = None
    if len(lines) > 2 and "^" in lines[2]:
        column = lines[2].index("^") + 1
    source_lines = source.split("\n")
    if line > len(source_lines):
        # "Unexpected end of input" points into the wrapper's closing line: the
        # script's own end is the place to show.
        line, column = len(source_lines), len(source_lines[-1]) + 1
    return {"message": match.group(2), "line": line, "column": column}


def run_script(source: str, setup: dict, cpu_seconds: float, heap_mb: int) -> dict:
    """Run one script against the runtime stubs under a hard heap limit and a timeout.

    Evaluating the runtime returns its entry points; only this function holds them,
    so the script can neither call them (to restart the record) nor replace them.
    """
    heap_bytes = int(heap_mb) * 1024 * 1024
    ctx = MiniRacer()
    try:
        ctx.set_hard_memory_limit(heap_bytes)
        runtime = ctx.eval(RUNTIME_JS, timeout_sec=5)
        start, run, settle, result = (runtime[name] for name in ("start", "run", "settle", "result"))
        start(json.dumps(setup), timeout_sec=5)
        status = "ok"
        cpu = 0.0
        payload = None
        since = time.process_time()
        try:
            run(source, timeout_sec=cpu_seconds)
            cpu, since = time.process_time() - since, None
            # Promise callbacks run when `run` returns and may set timers: while some
            # are left, `result` answers with their number instead of the record.
            while not isinstance(payload := result(False, timeout_sec=5), str):
                if cpu >= cpu_seconds:
                    raise JSTimeoutException()
                since = time.process_time()
                settle(timeout_sec=cpu_seconds - cpu)
                cpu, since = cpu + time.process_time() - since, None
        except JSTimeoutException:
            status = "timeout"
        except JSOOMException:
            status = "memory-limit"
        except JSEvalException as exc:
            # A stack overflow in the stubs or an error thrown past our catch.
            status = "memory-limit" if ctx.was_hard_memory_limit_reached() else "error:" + str(exc)[:300]
        if since is not None:  # stopped while the script's code ran
            cpu += time.process_time() - since
        if status == "memory-limit":
            # After an out-of-memory error the context cannot be trusted again.
            return {"status": status, "cpu_seconds": cpu, "record": None}
        try:
            if not isinstance(payload, str):
                payload = result(True, timeout_sec=5)  # whatever timers are left
            record = json.loads(payload)
        except (JSTimeoutException, JSOOMException, JSEvalException, TypeError, ValueError):
            record = None
        return {"status": status, "cpu_seconds": cpu, "record": record}
    finally:
        ctx.close()


def handle(job: dict) -> dict:
    if job["kind"] == "syntax":
        return {"error": check_syntax(job["source"], float(job["seconds"]))}
    if job["kind"] == "run":
        return run_script(job["source"], job["setup"], float(job["cpu_seconds"]), int(job["heap_mb"]))
    if job["kind"] == "ping":
        return {"pong": True}
    raise ValueError(f"unknown job kind {job['kind']!r}")


def main() -> None:
    jobs: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_jobs, args=(jobs,), daemon=True).start()
    # Pay the first-context cost (~60 ms) at start-up, not in the first run.
    MiniRacer().close()
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
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


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
