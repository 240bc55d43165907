"""The smoke run: every script in the sandbox, each report once, fed with the samples; and
each run's variants (review/engine/variants.py), from which the data flow is judged."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from review.engine.account_secrets import account_secrets
from review.engine.account_values import run_account
from review.engine.sandbox_pool import shared_pool
from review.engine.sites import site_of_request
from review.engine.variants import SECRETS, SITE_PREFIX, secrets_setup, site_setup
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
    record: dict = field(default_factory=dict)  # what the sandbox runtime (sandbox_js/) recorded
    cpu_limit: float = 0.0  # this run's share of the limits (less than the limit when the review's budget ran low)
    # The same run with one input changed: "secrets", "site:<site>" (variants.py).
    variants: dict = field(default_factory=dict)

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
    account = run_account(bundle.manifest)
    responses = []
    for sample, body in zip(samples.get("responses") or [], sample_bodies(bundle)):
        response = {k: v for k, v in sample.items() if k != "body_file"}
        if "body_file" in sample:
            response["body"] = body
        responses.append(response)
    return {
        "account": account,  # every declared field has a value (account_values.py)
        "parameters": samples.get("parameters") or {},
        "days": samples.get("days"),
        "report": None,
        "responses": responses,
        "hosts": list(bundle.manifest.get("hosts") or []),
        # DOMO.log lines are kept with these masked: every form of the sample secrets.
        "masks": [form for forms in account_secrets(bundle.manifest, account).values() for form in forms],
        # One clock and one seed for every run of the review (sandbox_js/determinism.js).
        "now": int(time.time()) * 1000,
        "seed": REVIEW_SEED,
    }


# Every run of one review reads the same clock (the review's start: a signed token must
# still be valid at the API it goes to) and the same seeded Math.random.
REVIEW_SEED = 20101

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


# The status of a run cut short, or never started, because the review's wall clock ran out.
REVIEW_WALL_TIMEOUT = "review-wall-timeout"


def run_scripts(bundle, scripts, config, deadline: float | None = None) -> list[RunOutcome]:
    """Every planned run and its variants, each within its CPU-time limit and all within
    the review's budget.

    The budget (EngineConfig.review_cpu_seconds) bounds the sandbox stage of one review
    whatever the bundle holds (many reports, each an endless loop); a run that finds it
    spent is not started and reports a timeout. The sample runs and the secret variants
    go first; the site variants need to know which sites each sample run read from.
    `deadline` (time.monotonic()) bounds the wall clock of all the runs together: a run gets
    what is left of it at most.
    """
    plan = planned_runs(bundle, scripts)
    setup = sample_setup(bundle)
    secret = secrets_setup(bundle.manifest, setup)
    budget = Budget(config.review_cpu_seconds, config.cpu_seconds)
    wall = wall_seconds(config.cpu_seconds)
    pool = shared_pool(config.workers)

    def one(job):
        role, script, report, base = job
        grant = budget.take()
        reply = {}
        try:
            if grant <= 0:
                return RunOutcome(role, script.path, report, "timeout")
            left = wall if deadline is None else min(wall, deadline - time.monotonic())
            if left <= 0:
                return RunOutcome(role, script.path, report, REVIEW_WALL_TIMEOUT)
            request = {"kind": "run", "source": script.text, "setup": {**base, "report": report},
                       "cpu_seconds": grant, "wall_seconds": left, "heap_mb": config.heap_mb}
            # The pool runs a job again on a fresh worker when its worker crashed
            # (SandboxPool.submit): a one-off death of ours never becomes a finding.
            reply = pool.submit(request, timeout=left)
            if reply.get("status") == "wall-timeout" and left < wall:
                reply = {**reply, "status": REVIEW_WALL_TIMEOUT}
        finally:
            budget.give_back(grant, float(reply.get("cpu_seconds") or grant))
        return RunOutcome(role, script.path, report, reply.get("status", "crashed: no reply"),
                          float(reply.get("cpu_seconds") or 0.0), reply.get("record") or {}, cpu_limit=grant)

    first = [(role, script, report, setup) for role, script, report in plan]
    if secret is not None:
        first += [(role, script, report, secret) for role, script, report in plan]
    done = _in_parallel(one, first, config.workers)
    outcomes = done[: len(plan)]
    if secret is not None:
        for outcome, variant in zip(outcomes, done[len(plan):]):
            outcome.variants[SECRETS] = variant

    perturbed = [(outcome, script, site) for (_, script, _), outcome in zip(plan, outcomes)
                 for site in sites_to_perturb(outcome, outcomes)]
    jobs = [(outcome.role, script, outcome.report, site_setup(setup, site)) for outcome, script, site in perturbed]
    for (outcome, _, site), variant in zip(perturbed, _in_parallel(one, jobs, config.workers)):
        outcome.variants[SITE_PREFIX + site] = variant
    return outcomes


def sites_read(outcome: RunOutcome) -> list[str]:
    """The sites whose sample responses answered a request of this run, in first-read order."""
    found = {}
    for entry in flow_entries(outcome):
        if isinstance(entry.get("sample"), int) and entry["sample"] >= 0:
            found.setdefault(request_site(entry), None)
    return list(found)


def sites_to_perturb(outcome: RunOutcome, outcomes: list[RunOutcome]) -> list[str]:
    """The sites this run read from, but for one that cannot change anything a variant
    would look at: the run sent to that site alone and the site answers the
    authentication check (already a source, and there is no other site to reach)."""
    if not outcome.finished:
        return []  # its own finding says why; a variant would only repeat the limit
    read = sites_read(outcome)
    sent_to = {request_site(e) for e in flow_entries(outcome)}
    checked = auth_check_sites(outcomes)
    return [site for site in read if not (sent_to == {site} and site in checked)]


def auth_check_sites(outcomes: list[RunOutcome]) -> set[str]:
    """The site that answers the authentication check (bundle-format.md, "Data flow"): the
    site of the authentication run's last answered request that carried a secret."""
    for outcome in outcomes:
        if outcome.role != "authentication" or not outcome.record.get("auth"):
            continue
        variant = outcome.variants.get(SECRETS)
        if variant is None:
            return set()
        theirs = [_sent(e) for e in flow_entries(variant)]
        for i, entry in reversed(list(enumerate(flow_entries(outcome)))):
            answered = isinstance(entry.get("sample"), int) and entry["sample"] >= 0
            if answered and (i >= len(theirs) or theirs[i] != _sent(entry)):
                return {request_site(entry)}
    return set()


def _sent(entry: dict) -> tuple:
    return (entry.get("method"), entry.get("url"), tuple(sorted((entry.get("headers") or {}).items())), entry.get("body"))


def flow_entries(outcome: RunOutcome) -> list[dict]:
    return [e for e in outcome.record.get("flow") or [] if isinstance(e, dict) and isinstance(e.get("url"), str)]


def request_site(entry: dict) -> str:
    try:
        path = urlsplit(entry["url"]).path
    except ValueError:
        path = ""
    return site_of_request(str(entry.get("host") or ""), path)


class Budget:
    """The CPU seconds left to one review's runs, handed out one run at a time.

    A run is granted the per-run limit while the budget holds it beside the runs in
    flight; otherwise it waits for them and gets what is left. So when the runs'
    real CPU time fits the budget, every run gets all it needs, in any order.
    """

    def __init__(self, total: float, per_run: float):
        self.left, self.per_run, self.reserved = total, per_run, 0.0
        # Counted, not read off `reserved`: grants added and taken back in floating point
        # can leave 4e-16 reserved with no run in flight, and a run waiting on it waited
        # for ever.
        self.in_flight = 0
        self._cond = threading.Condition()

    def take(self) -> float:
        with self._cond:
            while self.in_flight and self.left - self.reserved < self.per_run:
                self._cond.wait()
            grant = max(0.0, min(self.per_run, self.left - self.reserved))
            self.reserved += grant
            self.in_flight += 1
            return grant

    def give_back(self, grant: float, used: float) -> None:
        with self._cond:
            self.in_flight -= 1
            self.reserved = self.reserved - grant if self.in_flight else 0.0
            self.left -= min(max(used, 0.0), grant)
            self._cond.notify_all()


def check_syntax(scripts: dict[str, str], config, deadline: float | None = None) -> dict[str, dict | None]:
    """Path -> V8's syntax error (or None), asked of the sandbox workers (within `deadline`)."""
    seconds = SYNTAX_SECONDS if deadline is None else max(0.5, min(SYNTAX_SECONDS, deadline - time.monotonic()))
    jobs = [{"kind": "syntax", "source": text, "seconds": seconds} for text in scripts.values()]
    result = {}
    timeout = wall_seconds(SYNTAX_SECONDS) if deadline is None else min(wall_seconds(SYNTAX_SECONDS), seconds)
    for path, reply in zip(scripts, _on_pool(jobs, timeout, config)):
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
