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
    # Within the contract's wall-clock bound of one run (3 x the CPU limit + 10 s): the
    # CPU limit itself is what the finding asserts; wall time on a shared machine is not CPU.
    assert elapsed < LIMITS.cpu_seconds * 3 + 10
    assert os.getpid()  # still here


def test_a_worker_that_died_while_idle_is_replaced_and_the_job_still_answered():
    pool = SandboxPool(size=1)
    try:
        reply = pool.submit({"kind": "run", "source": "1", "setup": {}, "cpu_seconds": 1, "heap_mb": 32}, timeout=1)
        assert reply["status"] == "ok"
        worker = pool._idle[0]
        worker.process.kill()  # as if V8 had aborted the process
        worker.process.wait()
        # Our crash, not the connector's: the job runs on a fresh worker, no finding.
        assert pool.submit({"kind": "ping"}, timeout=1)["pong"] is True
        assert pool._idle[0] is not worker
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
