"""Hostile scripts end in a finding within the limits, and this process goes on."""

import os
import time

import pytest

from review.engine import EngineConfig
from review.engine.sandbox_pool import SandboxPool
from tests.review.helpers import review

LIMITS = EngineConfig(cpu_seconds=1.0, heap_mb=32)
HOSTILE = {
    "infinite loop": ("while (true) {}", {"timeout"}),
    "memory bomb": ("var a = []; while (true) { a.push(new Array(100000).fill('x')); }", {"memory-limit"}),
    "deep recursion": ("function f(n) { return f(n + 1) + 1; }\nf(0);", {"runtime-error"}),
    "10 million rows": (
        # Three realistic cells a row: ~2 s of V8 for 10 million rows, past the 1 s limit.
        "datagrid.addColumn('id', datagrid.DATA_TYPE_STRING);\n"
        "datagrid.addColumn('n', datagrid.DATA_TYPE_DOUBLE);\n"
        "datagrid.addColumn('d', datagrid.DATA_TYPE_DATE);\n"
        "for (var i = 0; i < 10000000; i++) {\n"
        "  datagrid.addCell('row-' + i); datagrid.addCell(i * 1.5); datagrid.addCell('2026-01-01'); datagrid.endRow();\n"
        "}",
        {"timeout", "memory-limit"},
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_it_ends_a_hostile_run_in_a_finding(name):
    source, expected = HOSTILE[name]
    started = time.monotonic()
    result = review(processdata=source, config=LIMITS)
    elapsed = time.monotonic() - started
    rules = {f.rule for f in result.findings}
    assert rules & expected, rules
    assert result.verdict == "fail"
    assert elapsed < LIMITS.cpu_seconds + 4
    assert os.getpid()  # still here


def test_a_dead_worker_becomes_a_finding_and_is_replaced():
    pool = SandboxPool(size=1)
    try:
        reply = pool.submit({"kind": "run", "source": "1", "setup": {}, "cpu_seconds": 1, "heap_mb": 32}, timeout=1)
        assert reply["status"] == "ok"
        worker = pool._idle[0]
        worker.process.kill()  # as if V8 had aborted the process
        worker.process.wait()
        reply = pool.submit({"kind": "ping"}, timeout=1)
        assert reply["status"].startswith("crashed")
        assert pool.submit({"kind": "ping"}, timeout=1)["pong"] is True
    finally:
        pool.close()


def test_a_hung_worker_is_killed_after_its_deadline():
    pool = SandboxPool(size=1)
    try:
        # The worker enforces its own timeout; this job outlives the pool's deadline on purpose.
        started = time.monotonic()
        reply = pool.submit({"kind": "run", "source": "while (true) {}", "setup": {}, "cpu_seconds": 30,
                             "heap_mb": 32}, timeout=-4.5)
        assert reply["status"] == "timeout"
        assert time.monotonic() - started < 3
        assert pool.submit({"kind": "ping"}, timeout=1)["pong"] is True
    finally:
        pool.close()
