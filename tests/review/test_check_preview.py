"""Check now's preview (issue 12, item 3): per run the columns, the first rows, the
requests with their status and the DOMO.log lines, bounded whatever the script does."""

import pytest
from django.urls import reverse

from review.engine.preview import run_preview
from review.engine.sandbox import RunOutcome
from tests.review.helpers import review
from tests.review.test_sandbox_runtime import ROWS, record_of


def test_it_records_the_first_rows_by_hand_and_by_magic_parse():
    record = record_of(
        "datagrid.addColumn('id', datagrid.DATA_TYPE_STRING);\n"
        "for (var i = 0; i < 8; i++) { datagrid.addCell('r' + i); datagrid.endRow(); }\n"
    )
    assert record["preview"] == [["r0"], ["r1"], ["r2"], ["r3"], ["r4"]]
    record = record_of(ROWS)
    assert record["preview"][:3] == [["a", "1"], ["b", "2"], ["c", "3"]]


def test_it_gives_each_request_the_status_it_got():
    record = record_of(
        "httprequest.get('https://api.example.com/rows?a=1&b=2');\n"
        "httprequest.get('https://api.example.com/nothing-recorded');\n"
        "httprequest.get('https://elsewhere.example.org/');\n"
    )
    assert [r["status"] for r in record["requests"]] == [200, 404, 0]


def test_it_bounds_the_preview_whatever_the_script_adds():
    record = record_of(
        "for (var c = 0; c < 200; c++) { datagrid.addColumn('c' + c, datagrid.DATA_TYPE_STRING); }\n"
        "var big = new Array(100000).join('x');\n"
        "for (var r = 0; r < 1000; r++) { for (var c = 0; c < 200; c++) { datagrid.addCell(big); } datagrid.endRow(); }\n"
    )
    assert len(record["preview"]) == 5
    assert all(len(row) == 30 and all(len(cell) == 120 for cell in row) for row in record["preview"])


def test_it_builds_the_preview_of_each_report_first():
    result = review()
    first = result.runs[0]
    assert first["role"] == "processdata" and first["report"] == "Items"
    assert first["columns"] == [{"name": "id", "type": "STRING"}]
    assert first["first_rows"] == [["r0"], ["r1"], ["r2"], ["r3"], ["r4"]] and first["rows"] == 2000
    assert first["requests"][0]["status"] == 200
    assert [run["role"] for run in result.runs] == ["processdata", "authentication"]
    assert "runs" not in result.to_dict()  # review_bundle's JSON contract is unchanged


def test_it_shows_log_lines_when_the_runtime_keeps_them():
    run = RunOutcome("processdata", "processdata.js", "Items", "ok", 0.0,
                     {"log_lines": ["page 1", "x" * 2000], "logs": 2})
    preview = run_preview(run)
    assert preview["log_lines"] == ["page 1", "x" * 500] and preview["log_count"] == 2


@pytest.mark.django_db
def test_it_shows_the_preview_under_check_now(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    client.post(reverse("review:check_now", args=[connector.pk]))  # runs inline in tests
    body = client.get(reverse("review:check_result", args=[connector.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="check-preview"' in body and "Report Opportunities" in body
    assert "1,237 rows" in body and "OPP-00001" in body
    assert "https://crm.example-sales.com/api/opportunities.csv?offset=0" in body and ">200<" in body
    assert "No DOMO.log lines." in body


def test_it_puts_a_runs_domo_log_lines_in_its_preview():
    result = review(processdata="DOMO.log('page 1 of 3');\n" + "datagrid.addColumn('id', datagrid.DATA_TYPE_STRING);\n"
                    "datagrid.addCell('a'); datagrid.endRow();\n")
    first = result.runs[0]
    assert first["log_lines"] == ["page 1 of 3"] and first["log_count"] == 1
