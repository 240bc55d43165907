import pytest

from tests.review.helpers import review

RULE = "row-shape"
COLUMNS = "datagrid.addColumn('a', datagrid.DATA_TYPE_STRING);\ndatagrid.addColumn('d', datagrid.DATA_TYPE_DATE);\n"


@pytest.mark.parametrize("source", [
    COLUMNS + "datagrid.addCell('x');\ndatagrid.endRow();\n",
    "datagrid.addCell('x');\ndatagrid.endRow();\n",
    COLUMNS + "datagrid.addCell('x');\ndatagrid.addCell('27/11/2026');\ndatagrid.endRow();\n",
    "datagrid.magicParseJSON('[{\"a\": 1}]');\ndatagrid.magicParseJSON([{\"a\": 2, \"b\": 3}]);\n",
])
def test_it_reports_rows_that_do_not_fit_the_columns(source):
    findings = [f for f in review(processdata=source).findings if f.rule == RULE]
    assert len(findings) == 1 and findings[0].line is not None


@pytest.mark.parametrize("source", [
    COLUMNS + "datagrid.addCell('x');\ndatagrid.addCell('2026-11-27');\ndatagrid.endRow();\n",
    COLUMNS + "datagrid.addCell('x');\ndatagrid.addCell('');\ndatagrid.endRow();\n",
    "datagrid.magicParseJSON('[{\"a\": 1, \"b\": \"x\"}]');\ndatagrid.magicParseJSON([{\"a\": 2}]);\n"
    "datagrid.magicParseCSV('a,b\\n3,y\\n');\n",
])
def test_it_accepts_well_shaped_rows(source):
    assert RULE not in {f.rule for f in review(processdata=source).findings}
