import pytest

from tests.review.helpers import static_findings

RULE = "dynamic-code"


@pytest.mark.parametrize("source", [
    "eval('1 + 1');",
    "var f = new Function('a', 'return a');",
    "setTimeout('doIt()', 10);",
    "with (Math) { var x = PI; }",
    "window.eval(code);",
])
def test_it_reports_code_built_from_strings(source):
    assert len(static_findings(source, RULE)) == 1


@pytest.mark.parametrize("source", [
    "setTimeout(function () { x(); }, 10);",
    "var o = {evaluate: function () {}}; o.evaluate(); var s = 'eval(x)';",
    "var fn = function () {}; fn.call(null);",
])
def test_it_ignores_ordinary_calls(source):
    assert static_findings(source, RULE) == []
