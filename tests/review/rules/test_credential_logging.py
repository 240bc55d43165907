"""credential-logging: a DOMO.log line that depends on a secret (judged by the runs)."""

import pytest

from tests.review.dataflow_cases import ADD_ROWS, ROWS, flow_review, rules, sample

RULE = "credential-logging"
API = [sample("https://api.example.com/rows", ROWS)]
ROWS_CALL = "addRows(JSON.parse(httprequest.get('https://api.example.com/rows')));\n"
PASSWORD = {"auth": {"method": "username_password"}, "account": {"username": "tester", "password": "pw-sample-123"}}


@pytest.mark.parametrize("source", [
    "DOMO.log(metadata.account.password);",
    "var pwd = metadata.account.password;\nDOMO.log('pwd=' + pwd);",
    # Transformed on the way: no known form of it is in the line, it still changes with it.
    "DOMO.log(metadata.account.password.split('').reverse().join(''));",
    "DOMO.log(DOMO.md5(metadata.account.password));",
])
def test_it_reports_a_log_line_that_depends_on_the_password(source):
    result = flow_review(ROWS_CALL + source + "\n", API, **PASSWORD)
    assert RULE in rules(result) and result.verdict == "fail"


@pytest.mark.parametrize("source", [
    "DOMO.log(metadata.report);",
    "DOMO.log('metadata.account.password is set');",
    "DOMO.log('user ' + metadata.account.username);",  # not a secret
    "DOMO.log(metadata.account.password ? 'a password is set' : 'no password');",
    # What is logged is the helper's return value, not the secret (issue 17).
    "DOMO.log(aws.createClient('us-east-1', metadata.account.username, metadata.account.password));",
])
def test_it_ignores_logs_that_do_not_change_with_the_secret(source):
    assert RULE not in rules(flow_review(ROWS_CALL + source + "\n", API, **PASSWORD))


def test_the_lines_shown_keep_the_secret_masked():
    result = flow_review(ROWS_CALL + "DOMO.log('pw ' + metadata.account.password);\n", API, **PASSWORD)
    assert all("pw-sample-123" not in line for log in result.logs for line in log["lines"])
    assert ADD_ROWS  # the rows helper the cases share
