import pytest

from tests.review.helpers import static_findings

RULE = "credential-logging"


@pytest.mark.parametrize("source", [
    "DOMO.log(metadata.account.password);",
    "console.log('key: ' + metadata.account['apikey']);",
    "var pwd = metadata.account.password;\nDOMO.log('pwd=' + pwd);",
])
def test_it_reports_an_account_value_in_a_log(source):
    assert len(static_findings(source, RULE)) == 1


@pytest.mark.parametrize("source", [
    "DOMO.log(metadata.report);",
    "DOMO.log('metadata.account.password is set');",
    "var n = metadata.parameters.Region; console.log(n);",
])
def test_it_ignores_logs_without_account_values(source):
    assert static_findings(source, RULE) == []
