"""What a review produces: findings and the result object (bundle-format.md JSON)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

RULESET = "2026.12.0"


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
