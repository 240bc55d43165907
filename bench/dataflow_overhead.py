"""What following the data costs: .venv/bin/python bench/dataflow_overhead.py [rounds]

Per sample bundle, the sandbox CPU time of its runs with the data-flow record off (the
baseline: the runtime with recordFlow and noteCell made empty, measured in the same
process, alternately) and on, plus review.engine.dataflow.follow() over the runs. The
target (issue 10): tracking adds at most 20 % to the sandbox time. Runs go through
run_script in this process (no worker round trip), which makes the baseline smaller
and the ratio stricter than in a review.
"""

import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

from connectors.bundle.reader import read_bundle  # noqa: E402
from review.engine import sandbox_worker  # noqa: E402
from review.engine.config import EngineConfig  # noqa: E402
from review.engine.dataflow import follow  # noqa: E402
from review.engine.sandbox import RunOutcome, planned_runs, sample_setup  # noqa: E402
from review.engine.scripts import parse_script  # noqa: E402

BUNDLES = ROOT / "demo" / "bundles"
TRACKING = sandbox_worker.RUNTIME_JS
# The same runtime with the two recorders emptied: what the sandbox cost before them.
UNTRACKED = re.sub(r"(function recordFlow\([^)]*\) \{)", r"\1 return;", TRACKING)
UNTRACKED = re.sub(r"(function noteCell\(value\) \{)", r"\1 return;", UNTRACKED)
assert UNTRACKED.count("return; ") >= 2


def jobs_of(bundle):
    scripts = [parse_script(path, role, bundle.text(path), None)
               for role, path in bundle.script_paths().items() if path in bundle.files]
    setup = sample_setup(bundle)
    return scripts, [(role, script, {**setup, "report": report}) for role, script, report in planned_runs(bundle, scripts)]


def run_all(jobs, runtime):
    sandbox_worker.RUNTIME_JS = runtime
    started = time.process_time()
    replies = [sandbox_worker.run_script(script.text, setup, 10, 128) for _, script, setup in jobs]
    return time.process_time() - started, replies


def main(rounds: int) -> None:
    config = EngineConfig()
    print(f"{'bundle':<30} {'sandbox off':>11} {'sandbox on':>10} {'follow':>8} {'added':>7}")
    worst = 0.0
    for path in sorted(p for p in BUNDLES.iterdir() if (p / "connector.json").exists()):
        bundle = read_bundle(path)
        scripts, jobs = jobs_of(bundle)
        off, on, flow = [], [], []
        for _ in range(rounds):
            off.append(run_all(jobs, UNTRACKED)[0])
            seconds, replies = run_all(jobs, TRACKING)
            on.append(seconds)
            runs = [RunOutcome(role, script.path, setup["report"], r["status"], r["cpu_seconds"], r["record"] or {})
                    for (role, script, setup), r in zip(jobs, replies)]
            started = time.process_time()
            follow(bundle, runs, scripts)
            flow.append(time.process_time() - started)
        o, n, f = statistics.median(off), statistics.median(on), statistics.median(flow)
        added = (n + f - o) / o
        worst = max(worst, added)
        print(f"{path.name:<30} {o * 1000:>9.1f}ms {n * 1000:>8.1f}ms {f * 1000:>6.1f}ms {added:>+7.1%}")
    sandbox_worker.RUNTIME_JS = TRACKING
    print(f"\nworst added: {worst:+.1%} (target: at most +20 %); medians of {rounds} rounds, config {config}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
