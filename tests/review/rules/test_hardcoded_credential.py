import pytest

from tests.review.helpers import static_findings

RULE = "hardcoded-credential"


@pytest.mark.parametrize("source", [
    "var password = 'hunter2!';",
    "var config = {client_secret: '9f8a7b6c5d4e3f2a1b0c'};",
    "httprequest.addHeader('Authorization', 'Bearer abcdef0123456789');",
    "httprequest.addHeader('Authorization', 'Basic dXNlcjpwYXNzd29yZDEyMw==');",
    "var basic = DOMO.b64EncodeUnicode('admin:S3cr3t-Passw0rd');",
    "var key = 'AKIAIOSFODNN7EXAMPLE';",
    "var t = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';",
    "settings.apiKey = 'live_0123456789abcdef';",
])
def test_it_reports_a_written_in_credential(source):
    findings = static_findings(source, RULE)
    assert findings and findings[0].line == 1


@pytest.mark.parametrize("source", [
    "var password = metadata.account.password;",
    "httprequest.addHeader('Authorization', 'Bearer ' + metadata.account.accesstoken);",
    "var form = {passwordField: 'password', tokenUrl: 'https://api.example.com/token'};",
    "var token = '';",
    "var apiKey = '<your api key>';",
    "var clientSecretId = 'a3bb189e-8bf9-3888-9912-ace4e6543002';",
    "var secret = '123e4567-e89b-12d3-a456-426614174000';",
    "var basic = DOMO.b64EncodeUnicode(metadata.account.username + ':' + metadata.account.password);",
    "var passwordHelp = 'Enter the password of your CRM account';",
])
def test_it_ignores_values_that_are_not_credentials(source):
    assert static_findings(source, RULE) == []


def test_a_key_in_a_url_query_or_a_comment_is_still_found_while_long_names_in_code_are_not_scanned():
    from review.engine.rules.credentials import _literal_lines
    from review.engine.scripts import parse_script

    source = ("var u = 'https://api.example.com/v1/items?key=AKIAIOSFODNN7EXAMPLE';\n"
              "// AKIAI44QH8DHBEXAMPLE\n"
              "var x = metadata.account.username + httprequest.getResponseHeader('x');\n"
              "var y = 'https://api.example.com/very/long/path/segments/opportunities.csv';\n")
    assert _literal_lines(parse_script("processdata.js", "processdata", source, None)) == {1, 2}
    assert {f.line for f in static_findings(source, "hardcoded-credential")} == {1, 2}
