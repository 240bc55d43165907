"""What a review rule is: its context, its hits and the `@rule(...)` that describes it.

A rule is a function `check(ctx: ReviewContext) -> Iterable[Hit]` described with its
stable id, phase, severity and hint. Static rules run before the sandbox, runtime
rules read `ctx.runs` after it. Describing a rule puts nothing in force: the one list
of rule modules (review/engine/rules/__init__.py, RULE_MODULES) does, so this module
imports no rule and no rule's import changes what runs.
Adding a rule = one function + one `@rule(...)` line in a module of that list + one
test module (and a line in the rule table of bundle-format.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from review.engine.findings import Finding


@dataclass(frozen=True)
class Hit:
    """Where and what, as a rule sees it; the registry adds id, severity, phase and hint."""

    file: str | None
    line: int | None
    column: int | None
    message: str
    hint: str | None = None  # overrides the rule's hint when the fix depends on the case


@dataclass
class ReviewContext:
    bundle: object  # connectors.bundle.types.Bundle
    scripts: list  # list[ParsedScript]
    config: object  # EngineConfig
    runs: list = field(default_factory=list)  # list[RunOutcome], filled by the sandbox stage
    data_flow: object = None  # review.engine.dataflow.DataFlow, built once from the runs
    limits: list = field(default_factory=list)  # ReviewLimit: content past a bound (the review-limit rule)

    def parsed_scripts(self):
        """Scripts V8 accepted: the only ones AST rules look at."""
        return [s for s in self.scripts if s.parses]

    @property
    def hosts(self) -> list[str]:
        return list(self.bundle.manifest.get("hosts") or [])


@dataclass(frozen=True)
class Rule:
    id: str
    phase: str
    severity: str
    stage: str  # "static" or "runtime"
    hint: str
    check: Callable[[ReviewContext], Iterable[Hit]]

    def findings(self, ctx: ReviewContext) -> list[Finding]:
        return [
            Finding(self.id, self.severity, self.phase, h.file, _place(h.line), _place(h.column), h.message,
                    h.hint or self.hint)
            for h in self.check(ctx)
        ]


def _place(number) -> int | None:
    """A 1-based line or column, or None (bundle-format.md).

    Runtime places come back from JavaScript in the sandbox's JSON record, so a 0, a
    negative number or a non-integer becomes "no place" here rather than in each rule.
    """
    return number if type(number) is int and number >= 1 else None


PHASES = ("automated", "security", "performance", "any")  # "any": timeout, memory-limit (bundle-format.md)
SEVERITIES = ("error", "warning")
STAGES = ("static", "runtime")


def rule(rule_id: str, *, phase: str, severity: str, stage: str = "static", hint: str = ""):
    # A typo here would file a rule's findings under no phase, or never fail a review.
    for name, value, allowed in (("phase", phase, PHASES), ("severity", severity, SEVERITIES), ("stage", stage, STAGES)):
        if value not in allowed:
            raise ValueError(f"rule {rule_id!r}: {name} {value!r} is not one of {', '.join(allowed)}")

    def describe(check):
        # The function stays callable as it was; the list reads its description.
        check.rule = Rule(rule_id, phase, severity, stage, hint, check)
        return check

    return describe
