"""The CPU limit is CPU time: a busy machine never turns an honest run into a timeout."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from review.engine import EngineConfig
from review.engine.sandbox import Budget
from review.engine.sandbox_pool import SandboxPool
from tests.review.helpers import review

# About 0.4 s of CPU per run (each review runs it several times: the sample run and its
# data-flow variants), then rows: honest, far under the limits.
BUSY = ("var x = 0; var t = Date.now(); for (var i = 0; i < 2e8 && x >= 0; i++) { x = (x + i) % 1000003; }\n"
        "datagrid.addColumn('a'); for (var r = 0; r < 2000; r++) { datagrid.addCell('x' + r); datagrid.endRow(); }\n")
HONEST_LIMITS = EngineConfig(cpu_seconds=8.0, heap_mb=64, workers=4)


def test_four_honest_busy_reviews_at_once_all_pass_on_two_cores():
    with ThreadPoolExecutor(max_workers=4) as executor:
        results = list(executor.map(lambda _: review(processdata=BUSY, config=HONEST_LIMITS), range(4)))
    for result in results:
        assert "timeout" not in {f.rule for f in result.findings}, [f.message for f in result.findings]
        assert all(row["passed"] for row in result.performance)


def test_an_endless_loop_ends_at_the_cpu_limit_and_its_performance_row_does_not_pass():
    source = "datagrid.addColumn('a');\nwhile (true) { datagrid.addCell('x'); datagrid.endRow(); }\n"
    result = review(processdata=source, config=EngineConfig(cpu_seconds=1.0, heap_mb=64))
    assert "timeout" in {f.rule for f in result.findings}
    [row] = result.performance
    assert row["passed"] is False and row["records_per_5_min"] is None
    assert "too-slow" not in {f.rule for f in result.findings}


def test_a_run_that_threw_never_reports_a_passing_row():
    source = "datagrid.addColumn('a');\nfor (var i = 0; i < 5000; i++) { datagrid.addCell('x'); datagrid.endRow(); }\nnull.x;\n"
    [row] = review(processdata=source).performance
    assert row["passed"] is False


def test_the_review_budget_bounds_many_endless_reports():
    manifest = {"reports": [f"R{i}" for i in range(8)]}
    config = EngineConfig(cpu_seconds=1.0, heap_mb=64, review_cpu_budget=2.0)
    result = review(processdata="while (true) {}", manifest=manifest, config=config)
    timeouts = [f for f in result.findings if f.rule == "timeout"]
    assert len(timeouts) == 8
    assert any("did not start" in f.message for f in timeouts)


def test_the_budget_gives_every_run_what_it_needs_when_the_total_fits():
    budget = Budget(total=3.0, per_run=1.0)
    grants = []
    for used in (0.5, 0.5, 0.5, 0.5, 0.5, 0.5):
        grant = budget.take()
        grants.append(grant)
        budget.give_back(grant, used)
    assert grants == [1.0] * 5 + [0.5]  # all the last one needs: the total fits exactly
    assert budget.take() == 0.0


def test_a_run_asking_when_none_is_in_flight_never_waits():
    # 1.3 + 1.3 + 1.3 taken and given back leaves 4.4e-16 "reserved" in floating point:
    # a run that waited for the runs in flight then waited for ever (a review hung in CI).
    budget = Budget(total=4.1, per_run=1.3)
    grants = [budget.take() for _ in range(3)]
    for grant in grants:
        budget.give_back(grant, 1.17)
    taken = []
    thread = threading.Thread(target=lambda: taken.append(budget.take()), daemon=True)
    thread.start()
    thread.join(timeout=5)
    assert taken == [pytest.approx(4.1 - 3 * 1.17)]


def test_a_job_with_no_cpu_limit_left_in_the_worker_reports_timeout_not_a_hang():
    pool = SandboxPool(size=1)
    try:
        reply = pool.submit({"kind": "run", "source": "for (;;) {}", "setup": {"hosts": [], "responses": []},
                             "cpu_seconds": 0.5, "wall_seconds": 20, "heap_mb": 32}, timeout=20)
        assert reply["status"] == "timeout" and reply["cpu_seconds"] >= 0.4
    finally:
        pool.close()


ENDLESS_BETWEEN_CALLS = {
    "an endless await loop": "(async function f() { while (true) { await null; } })();",
    "an endless promise chain": "function loop() { Promise.resolve().then(loop); }\nloop();",
    "timers feeding promises": "setTimeout(function f() { Promise.resolve().then(function () { setTimeout(f, 0); }); }, 0);",
    "a thrown proxy that loops": "throw new Proxy({}, {get: function () { while (true) {} }});",
}


# One test per kind (each ends a stuck worker, a few seconds apiece), so test workers share them.
@pytest.mark.parametrize("name", list(ENDLESS_BETWEEN_CALLS))
def test_work_between_our_calls_is_bounded_too(name):
    """Promise callbacks run between the worker's calls into V8, out of a cancel's reach:
    the worker ends such a run at the CPU limit and replaces itself."""
    pool = SandboxPool(size=1)
    try:
        reply = pool.submit({"kind": "run", "source": ENDLESS_BETWEEN_CALLS[name], "setup": {"hosts": [], "responses": []},
                             "cpu_seconds": 0.5, "wall_seconds": 30, "heap_mb": 32}, timeout=30)
        assert reply["status"] == "timeout", name
        honest = pool.submit({"kind": "run", "source": "var x = 1;", "setup": {"hosts": [], "responses": []},
                              "cpu_seconds": 0.5, "wall_seconds": 30, "heap_mb": 32}, timeout=30)
        assert honest["status"] == "ok"
    finally:
        pool.close()
