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


def test_a_date_in_the_wrong_format_gets_a_date_hint_not_a_cell_count_hint():
    """Issue 20, item 12: a date-format error was hinted "Add exactly one cell per column"."""
    wrong_date = COLUMNS + "datagrid.addCell('x');\ndatagrid.addCell('27/11/2026');\ndatagrid.endRow();\n"
    [finding] = [f for f in review(processdata=wrong_date).findings if f.rule == RULE]
    assert "yyyy-MM-dd for a date" in finding.hint and "one cell per column" not in finding.hint
    too_few = COLUMNS + "datagrid.addCell('x');\ndatagrid.endRow();\n"
    [finding] = [f for f in review(processdata=too_few).findings if f.rule == RULE]
    assert finding.hint == "Add exactly one cell per column, in order, before each endRow()."
