"""What a review produces: findings and the result object (bundle-format.md JSON)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

RULESET = "2026.12.0"
PHASE_ORDER = {"automated": 0, "security": 1, "performance": 2}
# What follows from a failed run rather than causing it: listed after every cause
# (bundle-format.md, "Data flow": a failed run's findings start with their cause).
CONSEQUENCES = {"no-rows", "performance-unmeasured"}


def reading_order(finding) -> tuple:
    """The one order of findings in every view (CLI, status window, admin, editor, emails):
    causes before their consequences, then by phase, file and place; on one line, the
    static cause (a banned API) before the runtime error it raised. Takes a Finding, a
    stored finding or its dict."""
    def get(name):
        return finding.get(name) if isinstance(finding, dict) else getattr(finding, name, None)

    rule = get("rule")
    return (rule in CONSEQUENCES, PHASE_ORDER.get(get("phase"), 9), get("file") or "", get("line") or 0,
            rule == "runtime-error", get("column") or 0)


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str  # "error" | "warning"
    phase: str  # "automated" | "security" | "performance"
    file: str | None
    line: int | None
    column: int | None
    message: str
    hint: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ReviewResult:
    findings: list[Finding] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    performance: list[dict] = field(default_factory=list)
    # Where the data goes, per site (dataflow.SiteSummary.to_dict) and the DOMO.log lines
    # of each run: for people (the status window, the admin), not in the contract's JSON.
    sites: list[dict] = field(default_factory=list)
    logs: list[dict] = field(default_factory=list)
    # Seconds spent per stage; for the bench and logs, not part of the JSON contract.
    timings: dict = field(default_factory=dict)
    # What each run produced (review.engine.preview), for Check now; not in the JSON contract either.
    runs: list[dict] = field(default_factory=list)
    ruleset: str = RULESET

    @property
    def verdict(self) -> str:
        return "fail" if any(f.severity == "error" for f in self.findings) else "pass"

    def to_dict(self) -> dict:
        return {
            "ruleset": self.ruleset,
            "verdict": self.verdict,
            "findings": [f.to_dict() for f in self.findings],
            "requests": [dict(r) for r in self.requests],
            "performance": [dict(p) for p in self.performance],
        }

    def for_people(self) -> dict:
        """What the status window, Check now and the admin show beside the contract's JSON."""
        return {"sites": [dict(s) for s in self.sites], "logs": [dict(log) for log in self.logs]}
