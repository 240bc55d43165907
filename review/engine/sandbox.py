"""The smoke run: every script once in the sandbox, each report once, fed with the samples."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from review.engine.account_secrets import account_secrets
from review.engine.sandbox_pool import shared_pool
from review.engine.wall_clock import wall_seconds

# V8 compiles a 1 MiB script in well under a second; the worker and the pool both use this.
SYNTAX_SECONDS = 10.0
# A run's wall-clock bound (wall_clock.py) only catches a run that waits without
# computing, never an honest run on a busy machine (which gets a third of a core or more).


@dataclass
class RunOutcome:
    role: str  # "authentication", "processdata" or "discovery:<parameter>"
    file: str
    report: str | None  # the report for process-data runs
    status: str  # "ok", "timeout", "wall-timeout", "memory-limit", "crashed: ..." or "error: ..."
    cpu_seconds: float = 0.0
    record: dict = field(default_factory=dict)  # what sandbox_runtime.js recorded
    cpu_limit: float = 0.0  # this run's share of the limits (less than the limit when the review's budget ran low)

    @property
    def label(self) -> str:
        if self.report is not None:
            return f"run of report {self.report}"
        return f"{self.role.split(':')[0]} run"

    @property
    def requests(self) -> list[dict]:
        # The runtime builds every entry itself; a malformed one is dropped, not a crash.
        return [r for r in self.record.get("requests") or []
                if isinstance(r, dict) and {"method", "url", "host", "declared", "matched"} <= r.keys()]

    @property
    def finished(self) -> bool:
        """The script ran to its end (it may have thrown): its record is the whole run."""
        return self.status == "ok"

    @property
    def completed(self) -> bool:
        """Finished without an error: the only runs whose speed the performance test measures."""
        return self.finished and not self.error

    @property
    def rows(self) -> int:
        return int(self.record.get("rows", 0))

    @property
    def error(self) -> dict | None:
        return self.record.get("error")


def sample_bodies(bundle) -> list[str]:
    """Each recorded response's body as text, `body_file`s read from the bundle."""
    bodies = []
    for sample in (bundle.manifest.get("samples") or {}).get("responses") or []:
        if "body_file" in sample:
            bodies.append(bundle.files.get(sample["body_file"], b"").decode("utf-8", "replace"))
        else:
            bodies.append(str(sample.get("body") or ""))
    return bodies


def sample_setup(bundle) -> dict:
    """What every run of this bundle is given (bundle-format.md); a run adds its report.

    Built once per review: body files are decoded once, not once per run.
    """
    samples = bundle.manifest.get("samples") or {}
    responses = []
    for sample, body in zip(samples.get("responses") or [], sample_bodies(bundle)):
        response = {k: v for k, v in sample.items() if k != "body_file"}
        if "body_file" in sample:
            response["body"] = body
        responses.append(response)
    return {
        "account": samples.get("account") or {},
        "parameters": samples.get("parameters") or {},
        "days": samples.get("days"),
        "report": None,
        "responses": responses,
        "hosts": list(bundle.manifest.get("hosts") or []),
        # DOMO.log lines are kept with these masked: every form of the sample secrets.
        "masks": [form for forms in account_secrets(bundle.manifest).values() for form in forms],
    }


def planned_runs(bundle, scripts) -> list[tuple]:
    """(role, script, report) for every run: authentication once, each report once, discovery once."""
    runs = []
    for script in scripts:
        if not script.parses:
            continue  # syntax-error already says why it cannot run
        if script.role == "processdata":
            runs.extend(("processdata", script, report) for report in bundle.manifest.get("reports") or [])
        else:
            runs.append((script.role, script, None))
    return runs


def run_scripts(bundle, scripts, config) -> list[RunOutcome]:
    """Every planned run, each within its CPU-time limit and all within the review's budget.

    The budget (EngineConfig.review_cpu_seconds) bounds the sandbox stage of one review
    whatever the bundle holds (many reports, each an endless loop); a run that finds it
    spent is not started and reports a timeout.
    """
    plan = planned_runs(bundle, scripts)
    setup = sample_setup(bundle)
    budget = Budget(config.review_cpu_seconds, config.cpu_seconds)
    wall = wall_seconds(config.cpu_seconds)
    pool = shared_pool(config.workers)

    def one(planned):
        _, script, report = planned
        grant = budget.take()
        if grant <= 0:
            return grant, {"status": "timeout", "cpu_seconds": 0.0}
        reply = {}
        try:
            job = {"kind": "run", "source": script.text, "setup": {**setup, "report": report},
                   "cpu_seconds": grant, "wall_seconds": wall, "heap_mb": config.heap_mb}
            reply = pool.submit(job, timeout=wall)
            return grant, reply
        finally:
            budget.give_back(grant, float(reply.get("cpu_seconds") or grant))

    replies = _in_parallel(one, plan, config.workers)
    return [
        RunOutcome(role, script.path, report, reply.get("status", "crashed: no reply"),
                   float(reply.get("cpu_seconds") or 0.0), reply.get("record") or {}, cpu_limit=grant)
        for (role, script, report), (grant, reply) in zip(plan, replies)
    ]


class Budget:
    """The CPU seconds left to one review's runs, handed out one run at a time.

    A run is granted the per-run limit while the budget holds it beside the runs in
    flight; otherwise it waits for them and gets what is left. So when the runs'
    real CPU time fits the budget, every run gets all it needs, in any order.
    """

    def __init__(self, total: float, per_run: float):
        self.left, self.per_run, self.reserved = total, per_run, 0.0
        self._cond = threading.Condition()

    def take(self) -> float:
        with self._cond:
            while self.reserved > 0 and self.left - self.reserved < self.per_run:
                self._cond.wait()
            grant = max(0.0, min(self.per_run, self.left - self.reserved))
            self.reserved += grant
            return grant

    def give_back(self, grant: float, used: float) -> None:
        with self._cond:
            self.reserved -= grant
            self.left -= min(max(used, 0.0), grant)
            self._cond.notify_all()


def check_syntax(scripts: dict[str, str], config) -> dict[str, dict | None]:
    """Path -> V8's syntax error (or None), asked of the sandbox workers."""
    jobs = [{"kind": "syntax", "source": text, "seconds": SYNTAX_SECONDS} for text in scripts.values()]
    result = {}
    for path, reply in zip(scripts, _on_pool(jobs, wall_seconds(SYNTAX_SECONDS), config)):
        if "error" in reply:
            result[path] = reply["error"]
        else:  # the worker died on it: say so rather than pretend it parsed
            result[path] = {"message": f"The syntax check could not finish ({reply.get('status')}).",
                            "line": None, "column": None}
    return result


def _on_pool(jobs: list[dict], timeout: float, config) -> list[dict]:
    """The shared pool's replies to `jobs`, in order."""
    pool = shared_pool(config.workers)
    return _in_parallel(lambda job: pool.submit(job, timeout=timeout), jobs, config.workers)


def _in_parallel(function, items: list, workers: int) -> list:
    """function(item) for each item, in order, from one thread per worker."""
    if len(items) <= 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(max_workers=max(1, workers)) as executor:
        return list(executor.map(function, items))
