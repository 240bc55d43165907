"""The rules the review runs: one explicit list of rule modules.

A rule module defines its checks with `@rule(...)` (review.engine.registry); a module
is in force when it is named in RULE_MODULES, never because something imported it.
tests/review/test_rule_list.py fails when a module of this folder is left out, or when
the list and the contract's table of rule ids (docs/bundle-format.md) disagree.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import Iterable

from review.engine.registry import Rule

RULE_NAMES = (  # the modules of this folder, in the order findings were always listed
    "credentials",
    "data_flow",
    "dynamic_code",
    "es5_syntax",
    "external_request",
    "insecure_url",
    "minified",
    "missing_field",
    "no_xmlhttprequest",
    "performance",
    "review_limit",
    "runtime",
    "syntax_error",
    "tampering",
)
RULE_MODULES: tuple[ModuleType, ...] = tuple(import_module(f"{__name__}.{name}") for name in RULE_NAMES)


def rules_of(module: ModuleType) -> list[Rule]:
    """The rules a module defines, in the order it defines them (not those it imports)."""
    return [
        check.rule for check in vars(module).values()
        if isinstance(getattr(check, "rule", None), Rule) and getattr(check, "__module__", None) == module.__name__
    ]


def collect(modules: Iterable[ModuleType]) -> list[Rule]:
    rules: list[Rule] = []
    for module in modules:
        for rule in rules_of(module):
            # One id may have a static and a runtime half (external-request), never two of either.
            if any(r.id == rule.id and r.stage == rule.stage for r in rules):
                raise ValueError(f"rule {rule.id!r} is defined twice for stage {rule.stage!r}")
            rules.append(rule)
    return rules


RULES: list[Rule] = collect(RULE_MODULES)


def rules_for(stage: str) -> list[Rule]:
    return [r for r in RULES if r.stage == stage]
