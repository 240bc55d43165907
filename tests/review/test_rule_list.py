"""The rules the review runs are one explicit list (review/engine/rules/__init__.py:
RULE_MODULES), not whatever happened to be imported: a rule module left out of the list
never runs, so a test says which one; and the list answers the contract's table of rule
ids (docs/bundle-format.md) one rule per id and stage."""

import re
from pathlib import Path

import pytest

from review.engine import rules
from review.engine.registry import rule

RULES_FOLDER = Path(rules.__file__).parent
CONTRACT = Path(__file__).resolve().parents[2] / "docs" / "bundle-format.md"


def contract_rule_ids() -> list[str]:
    table = CONTRACT.read_text().split("## Rule ids", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z0-9-]+)` \|", table, flags=re.MULTILINE)


def test_every_rule_module_in_the_folder_is_in_the_list():
    in_folder = {p.stem for p in RULES_FOLDER.glob("*.py") if p.stem != "__init__"}
    listed = {m.__name__.rsplit(".", 1)[1] for m in rules.RULE_MODULES}
    assert in_folder - listed == set(), "add these modules to RULE_MODULES"
    assert listed - in_folder == set()


def test_every_listed_module_brings_a_rule():
    for module in rules.RULE_MODULES:
        assert rules.rules_of(module), f"{module.__name__} defines no @rule"


def test_every_contract_rule_id_has_exactly_one_rule_per_stage():
    ids = contract_rule_ids()
    assert len(ids) >= 20  # the table was read, not an empty match
    by_id: dict[str, list[str]] = {}
    for r in rules.RULES:
        by_id.setdefault(r.id, []).append(r.stage)
    assert sorted(set(ids)) == sorted(by_id), "a rule with no line in the contract, or a line with no rule"
    for rule_id, stages in by_id.items():
        assert len(stages) == len(set(stages)), f"{rule_id} has two rules for one stage"


def test_rules_for_reads_the_list_by_stage():
    assert rules.rules_for("static") == [r for r in rules.RULES if r.stage == "static"]
    assert {r.stage for r in rules.rules_for("runtime")} == {"runtime"}
    assert {r.id for r in rules.rules_for("static")} >= {"missing-field", "syntax-error"}


def test_a_module_with_two_rules_for_one_id_and_stage_is_refused():
    import types

    module = types.ModuleType("review.engine.rules.made_up")
    for name in ("first", "second"):
        check = rule("made-up", phase="security", severity="error")(lambda ctx: [])
        check.__module__ = module.__name__
        setattr(module, name, check)
    with pytest.raises(ValueError, match="twice"):
        rules.collect([module])


def test_importing_a_rule_module_registers_nothing_by_itself():
    # The decorator describes a rule; only the list puts it in force.
    before = list(rules.RULES)
    rule("made-up-elsewhere", phase="security", severity="error")(lambda ctx: [])
    assert rules.RULES == before
