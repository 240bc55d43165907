import pytest

from tests.review.helpers import review, static_findings

RULE = "syntax-error"


@pytest.mark.parametrize("source, line, column", [
    ("var a = 1;\nvar b = ;\n", 2, 9),
    ("  foo bar;", 1, 7),
    ("function f() {\n  return 1;\n", 3, 1),
])
def test_it_reports_v8s_line_and_column(source, line, column):
    [finding] = static_findings(source, RULE)
    assert (finding.line, finding.column) == (line, column)
    assert "SyntaxError" in finding.message


@pytest.mark.parametrize("source", [
    "var x = a?.b ?? 1;",
    "class A { #p = 1; static s = 2; }\nlet y = 1_000n;",
    "try { x(); } catch { y(); }\nvar m = /(?<y>\\d{4})/.exec('2026');\nz ||= 1;",
])
def test_it_accepts_what_the_engine_accepts(source):
    assert static_findings(source, RULE) == []


def test_it_keeps_ast_rules_off_a_broken_script_but_runs_text_rules():
    result = review(processdata="var x = new XMLHttpRequest(;\nvar k = 'AKIAIOSFODNN7EXAMPLE';\n")
    rules = {f.rule for f in result.findings}
    assert "syntax-error" in rules and "no-xmlhttprequest" not in rules
    assert "hardcoded-credential" in rules
