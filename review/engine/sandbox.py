"""The smoke run: every script once in the sandbox, each report once, fed with the samples."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from review.engine.sandbox_pool import shared_pool


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
        return self.record.get("requests", [])

    @property
    def rows(self) -> int:
        return int(self.record.get("rows", 0))

    @property
    def error(self) -> dict | None:
        return self.record.get("error")


def sample_setup(bundle, report: str | None) -> dict:
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
        "report": report,
        "responses": responses,
        "hosts": list(bundle.manifest.get("hosts") or []),
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
    pool = shared_pool(config.workers)
    plan = planned_runs(bundle, scripts)

    def run_one(item):
        role, script, report = item
        reply = pool.submit(
            {"kind": "run", "source": script.text, "setup": sample_setup(bundle, report),
             "cpu_seconds": config.cpu_seconds, "heap_mb": config.heap_mb},
            timeout=config.cpu_seconds,
        )
        return RunOutcome(role, script.path, report, reply.get("status", "crashed: no reply"),
                          float(reply.get("cpu_seconds") or 0.0), reply.get("record") or {})

    if len(plan) <= 1:
        return [run_one(item) for item in plan]
    with ThreadPoolExecutor(max_workers=max(1, config.workers)) as executor:
        return list(executor.map(run_one, plan))


def check_syntax(scripts: dict[str, str], config) -> dict[str, dict | None]:
    """Path -> V8's syntax error (or None), asked of a sandbox worker."""
    pool = shared_pool(config.workers)
    result = {}
    for path, text in scripts.items():
        reply = pool.submit({"kind": "syntax", "source": text}, timeout=10)
        if "error" in reply:
            result[path] = reply["error"]
        else:  # the worker died on it: say so rather than pretend it parsed
            result[path] = {"message": f"The syntax check could not finish ({reply.get('status')}).",
                            "line": None, "column": None}
    return result
