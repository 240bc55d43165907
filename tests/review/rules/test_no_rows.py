import pytest

from tests.review.helpers import review

RULE = "no-rows"


@pytest.mark.parametrize("source", [
    "datagrid.addColumn('a', datagrid.DATA_TYPE_STRING);",
    "var rows = JSON.parse(httprequest.get('https://api.example.com/nothing') || '[]');\n"
    "rows.forEach(function (r) { datagrid.addCell(r); datagrid.endRow(); });",
    "if (metadata.report === 'Other') { datagrid.addColumn('a'); datagrid.addCell(1); datagrid.endRow(); }",
])
def test_it_warns_when_a_report_produces_nothing(source):
    result = review(processdata=source)
    assert [f.severity for f in result.findings if f.rule == RULE] == ["warning"]
    assert "performance-unmeasured" in {f.rule for f in result.findings}


@pytest.mark.parametrize("source", [
    "datagrid.addColumn('a', datagrid.DATA_TYPE_STRING); datagrid.addCell('x'); datagrid.endRow();",
    "datagrid.magicParseJSON('[{\"a\": 1}]');",
    "datagrid.magicParseCSV('a,b\\n1,2\\n');",
])
def test_it_is_quiet_when_rows_come_out(source):
    assert RULE not in {f.rule for f in review(processdata=source).findings}
