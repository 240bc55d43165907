"""The smoke run: every script once in the sandbox, each report once, fed with the samples."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from review.engine.dataflow import account_secrets
from review.engine.sandbox_pool import shared_pool

# V8 compiles a 1 MiB script in well under a second; the worker and the pool both use this.
SYNTAX_SECONDS = 10.0


@dataclass
class RunOutcome:
    role: str  # "authentication", "processdata" or "discovery:<parameter>"
    file: str
    report: str | None  # the report for process-data runs
    status: str  # "ok", "timeout", "memory-limit", "crashed: ..." or "error: ..."
    cpu_seconds: float = 0.0
    record: dict = field(default_factory=dict)  # what sandbox_runtime.js recorded

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
    def rows(self) -> int:
        return int(self.record.get("rows", 0))

    @property
    def error(self) -> dict | None:
        return self.record.get("error")


def sample_setup(bundle) -> dict:
    """What every run of this bundle is given (bundle-format.md); a run adds its report.

    Built once per review: body files are decoded once, not once per run.
    """
    samples = bundle.manifest.get("samples") or {}
    responses = []
    for sample in samples.get("responses") or []:
        response = {k: v for k, v in sample.items() if k != "body_file"}
        if "body_file" in sample:
            data = bundle.files.get(sample["body_file"], b"")
            response["body"] = data.decode("utf-8", "replace")
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
    plan = planned_runs(bundle, scripts)
    setup = sample_setup(bundle)
    jobs = [{"kind": "run", "source": script.text, "setup": {**setup, "report": report},
             "cpu_seconds": config.cpu_seconds, "heap_mb": config.heap_mb}
            for _, script, report in plan]
    replies = _on_pool(jobs, config.cpu_seconds, config)
    return [
        RunOutcome(role, script.path, report, reply.get("status", "crashed: no reply"),
                   float(reply.get("cpu_seconds") or 0.0), reply.get("record") or {})
        for (role, script, report), reply in zip(plan, replies)
    ]


def check_syntax(scripts: dict[str, str], config) -> dict[str, dict | None]:
    """Path -> V8's syntax error (or None), asked of the sandbox workers."""
    jobs = [{"kind": "syntax", "source": text, "seconds": SYNTAX_SECONDS} for text in scripts.values()]
    result = {}
    for path, reply in zip(scripts, _on_pool(jobs, SYNTAX_SECONDS, config)):
        if "error" in reply:
            result[path] = reply["error"]
        else:  # the worker died on it: say so rather than pretend it parsed
            result[path] = {"message": f"The syntax check could not finish ({reply.get('status')}).",
                            "line": None, "column": None}
    return result


def _on_pool(jobs: list[dict], timeout: float, config) -> list[dict]:
    """The shared pool's replies to `jobs`, in order, sent from one thread per worker."""
    pool = shared_pool(config.workers)
    if len(jobs) <= 1:
        return [pool.submit(job, timeout=timeout) for job in jobs]
    with ThreadPoolExecutor(max_workers=max(1, config.workers)) as executor:
        return list(executor.map(lambda job: pool.submit(job, timeout=timeout), jobs))
