"""data-forwarding: data received from one site sent in the query or body of a request to another."""

import json

import pytest

from tests.review.dataflow_cases import HONEST, ROWS, finding, flow_review, honest, rules, sample, security_errors

RULE = "data-forwarding"
TWO = ("api.example.com", "enrich.example-data.org")
ENRICHED = [{"id": "enriched-000001", "name": "Enriched one"}]
ADD_ENRICHED = ("enriched.forEach(function (r) { datagrid.addCell(r.id); datagrid.addCell(r.name); "
                "datagrid.endRow(); });\n")
ROWS_THEN = "var rows = JSON.parse(httprequest.get('https://api.example.com/rows'));\naddRows(rows);\n"


def enrich(prefix="https://enrich.example-data.org/", method="GET"):
    return {"method": method, "url_prefix": prefix, "status": 200, "body": json.dumps(ENRICHED)}


def test_it_warns_when_ids_from_one_api_are_posted_to_another_that_supplies_data():
    result = flow_review(ROWS_THEN + "var enriched = JSON.parse(httprequest.post('https://enrich.example-data.org/lookup',"
                         " JSON.stringify(rows.map(function (r) { return r.id; }))));\n" + ADD_ENRICHED,
                         [sample("https://api.example.com/rows", ROWS), enrich(method="POST")], hosts=TWO)
    found = finding(result, RULE)
    assert found.severity == "warning" and found.phase == "security" and found.line == 8
    assert found.message.endswith("sent data received from api.example.com in the body of POST to "
                                  "enrich.example-data.org (site example-data.org).")
    assert "data-exfiltration" not in rules(result)


def test_it_warns_for_a_token_from_a_login_site_sent_in_the_query():
    result = flow_review(
        "var t = JSON.parse(httprequest.post('https://login.example-auth.net/token', 'k=' + metadata.account.apikey)).access_token;\n"
        "addRows(JSON.parse(httprequest.get('https://api.example.com/rows?access_token=' + t)));\n",
        [sample("https://login.example-auth.net/token", {"access_token": "tok-abcdef123456"}, "POST"),
         {"method": "GET", "url_prefix": "https://api.example.com/rows", "status": 200, "body": json.dumps(ROWS)}],
        hosts=("api.example.com", "login.example-auth.net"))
    assert "data received from login.example-auth.net in the URL's query of GET to api.example.com" in finding(result, RULE).message


def test_it_warns_for_a_cursor_from_one_site_used_in_the_query_of_another():
    result = flow_review(ROWS_THEN + "var cur = JSON.parse(httprequest.get('https://api.example.com/cursor')).cursor;\n"
                         "var enriched = JSON.parse(httprequest.get('https://enrich.example-data.org/page?after=' + cur));\n"
                         + ADD_ENRICHED,
                         [sample("https://api.example.com/rows", ROWS), sample("https://api.example.com/cursor",
                                                                                {"cursor": "cur-9988776655"}),
                          enrich()], hosts=TWO)
    assert RULE in rules(result)


def test_it_warns_for_received_data_base64_encoded_in_a_body():
    result = flow_review(ROWS_THEN + "var enriched = JSON.parse(httprequest.post('https://enrich.example-data.org/q',"
                         " 'q=' + DOMO.b64EncodeUnicode(rows[1].name)));\n" + ADD_ENRICHED,
                         [sample("https://api.example.com/rows", ROWS), enrich(method="POST")], hosts=TWO)
    assert "in the body" in finding(result, RULE).message


def test_it_warns_for_received_data_url_encoded_in_a_query():
    result = flow_review(ROWS_THEN + "httprequest.addParameter('name', rows[2].name);\n"
                         "var enriched = JSON.parse(httprequest.get('https://enrich.example-data.org/search'));\n"
                         + ADD_ENRICHED,
                         [sample("https://api.example.com/rows", ROWS), enrich()], hosts=TWO)
    assert "in the URL's query" in finding(result, RULE).message


def test_it_warns_for_data_added_to_a_link_followed_to_another_site():
    result = flow_review(
        "var page = JSON.parse(httprequest.get('https://api.example.com/rows'));\naddRows(page.items);\n"
        "var enriched = JSON.parse(httprequest.get(page.link + '&who=' + page.items[0].name));\n" + ADD_ENRICHED,
        [sample("https://api.example.com/rows", {"items": ROWS, "link": "https://enrich.example-data.org/x?sig=abc12345"}),
         enrich()], hosts=TWO)
    assert RULE in rules(result)


TOKEN_EXCHANGE = "token exchange with a login service on another site"


def test_a_token_bought_on_another_site_and_sent_to_the_api_in_a_header_is_a_warning():
    result = honest(TOKEN_EXCHANGE)
    found = finding(result, RULE)
    assert "login.example-auth.net in the authorization header" in found.message and security_errors(result) == []


@pytest.mark.parametrize("name", sorted(set(HONEST) - {TOKEN_EXCHANGE}))
def test_honest_near_misses_forward_nothing(name):
    assert RULE not in rules(honest(name))


def test_data_sent_to_a_sink_is_exfiltration_not_forwarding():
    result = flow_review(ROWS_THEN + "httprequest.post('https://enrich.example-data.org/lookup', rows[0].id);\n",
                         [sample("https://api.example.com/rows", ROWS)], hosts=TWO)
    assert "data-exfiltration" in rules(result) and RULE not in rules(result)
