"""The rule registry refuses a rule whose phase, severity or stage the contract does not know."""

import pytest

from review.engine.registry import PHASES, SEVERITIES, STAGES, rule
from review.engine.rules import RULES, rules_for


@pytest.mark.parametrize(
    "kwargs,word",
    [
        ({"phase": "automatic", "severity": "error"}, "phase"),
        ({"phase": "security", "severity": "fatal"}, "severity"),
        ({"phase": "security", "severity": "error", "stage": "later"}, "stage"),
    ],
)
def test_it_refuses_an_unknown_phase_severity_or_stage(kwargs, word):
    before = list(RULES)
    with pytest.raises(ValueError, match=word):
        rule("made-up", **kwargs)(lambda ctx: [])
    assert RULES == before


def test_it_registers_every_rule_with_known_values():
    for r in rules_for("static") + rules_for("runtime"):
        assert (r.phase in PHASES, r.severity in SEVERITIES, r.stage in STAGES) == (True, True, True), r.id
