import pytest

from tests.review.helpers import static_findings

RULE = "es5-syntax"


@pytest.mark.parametrize("source, feature", [
    ("let a = 1;", "let/const"),
    ("var f = (x) => x + 1;", "arrow functions"),
    ("var s = `a${b}`;", "template literals"),
    ("var v = a?.b;", "optional chaining"),
])
def test_it_warns_about_newer_syntax(source, feature):
    findings = static_findings(source, RULE)
    assert any(feature in f.message for f in findings)
    assert all(f.severity == "warning" for f in findings)


@pytest.mark.parametrize("source", [
    "var a = 1; function f(x) { return x + 1; }",
    "var o = {a: 1, 'b': [1, 2]}; for (var k in o) { o[k]; }",
    "var s = 'let x = () => `y`';  // const z = 1",
])
def test_it_accepts_es5(source):
    assert static_findings(source, RULE) == []
