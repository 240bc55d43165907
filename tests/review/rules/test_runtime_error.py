import pytest

from tests.review.helpers import review

RULE = "runtime-error"


@pytest.mark.parametrize("source, line", [
    ("var a = null;\nvar b = a.x;\n", 2),
    ("datagrid.addColumn('a', datagrid.DATA_TYPE_STRING);\nvar h = DOMO.md6('x');\n", 2),
    ("var x = DOMO.parseXML('<a><b></a>');\n", 1),
    ("\n\nthrow new Error('boom');\n", 3),
    ("var x = new XMLHttpRequest();", 1),
])
def test_it_reports_the_throw_with_its_script_line(source, line):
    findings = [f for f in review(processdata=source).findings if f.rule == RULE]
    assert findings and findings[0].line == line


def test_it_names_a_helper_the_sandbox_lacks():
    result = review(processdata="DOMO.hmacSHA999('x');")
    assert any("DOMO.hmacSHA999" in f.message for f in result.findings if f.rule == RULE)


@pytest.mark.parametrize("source", [
    "var x = metadata.account.apikey.length; try { null.y; } catch (e) { DOMO.log('handled'); }",
    "var s = DOMO.b64DecodeUnicode(DOMO.b64EncodeUnicode('é:ü'));",
    "var p = JSON.parse(httprequest.get('https://api.example.com/missing') || '[]');",
])
def test_it_is_quiet_when_the_script_finishes(source):
    assert RULE not in {f.rule for f in review(processdata=source).findings}
