"""too-slow and performance-unmeasured, and the formula of bundle-format.md."""

import pytest

from tests.review.helpers import review

PAGE = "datagrid.magicParseJSON(httprequest.get('https://api.example.com/rows'));\n"


@pytest.mark.parametrize("source", [
    "DOMO.sleep(900000);\n" + PAGE,
    "for (var i = 0; i < 30; i++) { httprequest.get('https://api.example.com/me'); }\n"
    "datagrid.magicParseJSON('[{\"a\": 1}]');",
    "DOMO.sleep(3600000); datagrid.magicParseJSON('[{\"a\": 1}, {\"a\": 2}]');",
])
def test_it_reports_a_report_under_1000_records_per_5_minutes(source):
    result = review(processdata=source)
    assert "too-slow" in {f.rule for f in result.findings}
    assert result.performance[0]["passed"] is False


@pytest.mark.parametrize("source", [
    PAGE,
    "DOMO.sleep(100);\n" + PAGE,
    PAGE + PAGE,
])
def test_it_passes_fast_reports(source):
    result = review(processdata=source)
    assert {"too-slow", "performance-unmeasured"}.isdisjoint({f.rule for f in result.findings})
    assert result.performance[0]["passed"] is True


def test_it_follows_the_formula():
    result = review(processdata="DOMO.sleep(1000);\n" + PAGE)
    row = result.performance[0]
    assert row["records"] == 2000 and row["requests"] == 1
    assert row["modeled_seconds"] == pytest.approx(row["cpu_seconds"] + 0.5 + 1.0, abs=0.002)
    assert row["records_per_5_min"] == int(2000 * 300 / row["modeled_seconds"])


def test_a_report_without_records_is_not_measured():
    result = review(processdata="datagrid.addColumn('a');")
    row = result.performance[0]
    assert (row["records"], row["records_per_5_min"], row["passed"]) == (0, None, None)
    assert "performance-unmeasured" in {f.rule for f in result.findings}
