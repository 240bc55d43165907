"""Connectors for the data-flow rules: a builder, and the honest near misses all three share.

Every honest case passes the review; the rule test modules assert which of the data-flow
rules each one must not raise (a token bought on another site and sent to the API is a
data-forwarding warning, a key set once and carried to a second site a credential-spread
error: bundle-format.md, "Data flow") (tests/review/rules/test_data_*.py, test_credential_spread.py).
"""

import json

from review.engine import run_review
from tests.review.helpers import FAST, make_bundle

KEY = "sample-key-9f8e7d"
ROWS = [{"id": f"row-{i:06d}", "name": f"Customer number {i}"} for i in range(5)]
ROWS_JSON = json.dumps(ROWS)
ADD_ROWS = ("function addRows(list) {\n"
            "  datagrid.addColumn('id', datagrid.DATA_TYPE_STRING);\n"
            "  datagrid.addColumn('name', datagrid.DATA_TYPE_STRING);\n"
            "  list.forEach(function (r) { datagrid.addCell(r.id); datagrid.addCell(r.name); datagrid.endRow(); });\n"
            "}\n")
AUTH_OK = "auth.authenticationSuccess();\n"


def sample(url, body, method="GET", **extra):
    return {"method": method, "url": url, "status": 200, "body": body if isinstance(body, str) else json.dumps(body),
            **extra}


def flow_review(processdata, responses, hosts=("api.example.com",), authentication=AUTH_OK,
                auth=None, account=None):
    manifest = {"hosts": list(hosts), "auth": auth or {"method": "api_key"},
                "samples": {"account": account or {"apikey": KEY}, "parameters": {}, "responses": responses}}
    return run_review(make_bundle(ADD_ROWS + processdata, authentication, manifest), FAST)


def rules(result):
    return {f.rule for f in result.findings}


def security_errors(result):
    """The error findings but missing-field (the test bundles carry no icons)."""
    return [f for f in result.findings if f.severity == "error" and f.rule != "missing-field"]


def finding(result, rule):
    [found] = [f for f in result.findings if f.rule == rule]
    return found


HONEST = {
    # The password goes to a login service on another site; its token goes to the API in a header.
    "token exchange with a login service on another site": dict(
        hosts=("api.example.com", "login.example-auth.net"),
        auth={"method": "username_password"}, account={"username": "tester", "password": "pw-sample-123"},
        processdata=(
            "var t = JSON.parse(httprequest.post('https://login.example-auth.net/token',\n"
            "  'user=' + metadata.account.username + '&password=' + metadata.account.password)).access_token;\n"
            "httprequest.addHeader('Authorization', 'Bearer ' + t);\n"
            "addRows(JSON.parse(httprequest.get('https://api.example.com/rows')));\n"),
        responses=[sample("https://login.example-auth.net/token", {"access_token": "tok-abcdef123456"}, "POST"),
                   sample("https://api.example.com/rows", ROWS)]),
    # The API answers with a link to a files host; the script follows it as received.
    "download link followed exactly as received": dict(
        hosts=("api.example.com", "files.example-cdn.net"),
        processdata=(
            "httprequest.addHeader('X-Api-Key', metadata.account.apikey);\n"
            "var link = JSON.parse(httprequest.get('https://api.example.com/report')).download;\n"
            "httprequest.clearHeaders();\n"
            "addRows(JSON.parse(httprequest.get(link)));\n"),
        responses=[sample("https://api.example.com/report",
                          {"download": "https://files.example-cdn.net/dl/abc123xyz.json?sig=q1w2e3r4t5"}),
                   sample("https://files.example-cdn.net/dl/abc123xyz.json?sig=q1w2e3r4t5", ROWS)]),
    # An HMAC-signed API: the signature depends on the key and goes only to the API.
    "HMAC signature of the key sent to the API": dict(
        processdata=(
            "var sig = DOMO.hmacSHA256('GET /rows', metadata.account.apikey);\n"
            "httprequest.addHeader('X-Signature', sig);\n"
            "addRows(JSON.parse(httprequest.get('https://api.example.com/rows?sig=' + sig)));\n"),
        responses=[]),
    # Two hosts of one site: the key never leaves the API's site.
    "key sent only to the API's own site": dict(
        hosts=("api.example.com", "auth.example.com"),
        processdata=(
            "httprequest.get('https://auth.example.com/check?key=' + encodeURIComponent(metadata.account.apikey));\n"
            "httprequest.addHeader('X-Api-Key', metadata.account.apikey);\n"
            "addRows(JSON.parse(httprequest.get('https://api.example.com/rows')));\n"),
        responses=[sample("https://auth.example.com/check?key=" + KEY, {"ok": True}),
                   sample("https://api.example.com/rows", ROWS)]),
    # An export is started on the API, then downloaded from a separate files host.
    "export then download from a separate files host": dict(
        hosts=("api.example.com", "downloads.example-files.io"),
        processdata=(
            "httprequest.addHeader('X-Api-Key', metadata.account.apikey);\n"
            "var job = JSON.parse(httprequest.post('https://api.example.com/exports', '{\"format\": \"csv\"}'));\n"
            "httprequest.clearHeaders();\n"
            "datagrid.magicParseCSV(httprequest.get(job.download));\n"),
        responses=[sample("https://api.example.com/exports",
                          {"id": "exp-778899", "download": "https://downloads.example-files.io/exp-778899.csv"}, "POST"),
                   sample("https://downloads.example-files.io/exp-778899.csv",
                          "id,name\nrow-000001,Customer one\nrow-000002,Customer two\n")]),
    # The authentication script checks the key on the API, which has no sample there.
    "auth check with no sample on the API's own site": dict(
        authentication=("httprequest.addHeader('X-Api-Key', metadata.account.apikey);\n"
                        "httprequest.get('https://api.example.com/me');\nauth.authenticationSuccess();\n"),
        processdata=("httprequest.addHeader('X-Api-Key', metadata.account.apikey);\n"
                     "addRows(JSON.parse(httprequest.get('https://api.example.com/rows')));\n"),
        responses=[sample("https://api.example.com/rows", ROWS)]),
    # Headers persist: the key set once also reaches a second declared host that supplies data.
    "header set once and carried to a second declared host": dict(
        hosts=("api.example.com", "files.example-cdn.net"),
        processdata=("httprequest.addHeader('Authorization', 'Bearer ' + metadata.account.apikey);\n"
                     "addRows(JSON.parse(httprequest.get('https://api.example.com/rows')));\n"
                     "var more = JSON.parse(httprequest.get('https://files.example-cdn.net/more.json'));\n"
                     "more.forEach(function (r) { datagrid.addCell(r.id); datagrid.addCell(r.name); datagrid.endRow(); });\n"),
        responses=[sample("https://api.example.com/rows", ROWS),
                   sample("https://files.example-cdn.net/more.json", [{"id": "extra-000001", "name": "Extra one"}])]),
    # The API pages by a cursor in the POST body: its own data goes back to it.
    "cursor sent back to the API in the body": dict(
        processdata=("var page = JSON.parse(httprequest.post('https://api.example.com/search', '{}'));\n"
                     "addRows(page.rows);\n"
                     "page = JSON.parse(httprequest.post('https://api.example.com/search', '{\"cursor\": \"' + page.next + '\"}'));\n"),
        responses=[sample("https://api.example.com/search", {"rows": ROWS, "next": "cur-5566778899"}, "POST",
                          body_contains="{}"),
                   sample("https://api.example.com/search", {"rows": [], "next": None}, "POST",
                          body_contains="cur-5566778899")]),
    # Ids from the API in the path of a second API that supplies details: a link, not a query.
    "received id in the path of a second source": dict(
        hosts=("api.example.com", "details.example-cdn.net"),
        processdata=("var rows = JSON.parse(httprequest.get('https://api.example.com/rows'));\n"
                     "addRows(JSON.parse(httprequest.get('https://details.example-cdn.net/items/' + rows[0].id + '.json')));\n"),
        responses=[sample("https://api.example.com/rows", ROWS),
                   sample(f"https://details.example-cdn.net/items/{ROWS[0]['id']}.json", [{"id": "detail-001122", "name": "Detail x"}])]),
    # A next link from the API with a page size added by the script.
    "next link followed with a page size added": dict(
        processdata=("var page = JSON.parse(httprequest.get('https://api.example.com/rows'));\n"
                     "addRows(page.items);\n"
                     "httprequest.get(page.next + '&limit=100');\n"),
        responses=[sample("https://api.example.com/rows", {"items": ROWS, "next": "https://api.example.com/rows?page=2"}),
                   sample("https://api.example.com/rows?page=2&limit=100", {"items": [], "next": None})]),
}
# A sample with no URL cannot be built by `sample`: the HMAC case answers any query.
HONEST["HMAC signature of the key sent to the API"]["responses"] = [
    {"method": "GET", "url_prefix": "https://api.example.com/rows", "status": 200, "body": ROWS_JSON}]


def honest(name):
    return flow_review(**HONEST[name])
