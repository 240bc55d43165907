"""Every stored or shown string is bounded; a review's output stays under 1 MiB whatever the script does."""

import json

import pytest

from review.engine.bounds import MAX_OUTPUT_BYTES, bound_result, capped_findings
from review.engine.findings import Finding, ReviewResult
from tests.review.helpers import review

ROWS = "datagrid.addColumn('a'); datagrid.addCell('x'); datagrid.endRow();\n"
BIG = "var big = new Array(20 * 1024 * 1024 + 1).join('n');\n"

ATTACKS = {
    "an error named 20 MB": BIG + "var e = new Error('x'); e.name = big; throw e;\n",
    "an error message of 20 MB": BIG + "throw new Error(big);\n",
    "a thrown string of 20 MB": BIG + "throw big;\n",
    "500 URLs of 100 KB": ("var p = new Array(100 * 1024).join('p');\n"
                           "for (var i = 0; i < 500; i++) { httprequest.get('https://e' + i + '.example/' + p); }\n"),
    "declared URLs of 100 KB": ("var p = new Array(100 * 1024).join('p');\n"
                                "for (var i = 0; i < 500; i++) { httprequest.get('https://api.example.com/' + i + p); }\n"),
    "auth failed with 20 MB": BIG + "auth.authenticationFailed(big);\n",
    "a column named 20 MB": BIG + "datagrid.addColumn(big, 'DATE'); datagrid.addCell('not a date'); datagrid.endRow();\n",
    "100,000 columns": "for (var i = 0; i < 100000; i++) { datagrid.addColumn('c' + i + new Array(200).join('x')); }\n",
    "tampering with a 20 MB name": BIG + "Object.defineProperty(httprequest, 'get', {value: 1}); httprequest[big] = 1; delete DOMO.log;\n",
}


@pytest.mark.parametrize("name", list(ATTACKS))
def test_a_review_stays_under_a_mebibyte(name):
    result = review(processdata=ROWS + ATTACKS[name], authentication=ATTACKS[name] + "auth.authenticationSuccess();\n")
    size = len(json.dumps(result.to_dict()))
    assert size < MAX_OUTPUT_BYTES, size
    assert all(len(f.message) <= 1000 for f in result.findings)


def test_an_honest_big_response_is_reviewed_whole():
    rows = json.dumps([{"id": f"row-{i}", "text": "x" * 200} for i in range(20000)])  # ~4.5 MB
    manifest = {"samples": {"account": {"apikey": "k"}, "responses": [
        {"method": "GET", "url": "https://api.example.com/me", "body": "{}"},
        {"method": "GET", "url": "https://api.example.com/rows", "body": rows}]}}
    result = review(manifest=manifest)
    assert result.performance[0]["records"] == 20000
    assert not {"runtime-error", "memory-limit", "timeout"} & {f.rule for f in result.findings}


def test_many_findings_of_one_rule_end_in_one_that_counts_the_rest():
    findings = [Finding("external-request", "error", "automated", "p.js", i + 1, 1, "m") for i in range(300)]
    kept = capped_findings(findings, per_rule=20)
    assert len(kept) == 21 and "280 more" in kept[-1].message


def test_the_result_is_shrunk_until_it_fits():
    result = ReviewResult(
        findings=[Finding(f"rule-{i % 30}", "error", "automated", "p.js", i + 1, 1, "m" * 5000) for i in range(3000)],
        requests=[{"report": "R", "method": "GET", "url": "https://e.example/" + "u" * 5000, "host": "e.example",
                   "declared": False, "matched": False} for _ in range(5000)],
        performance=[{"report": f"R{i}", "records": 1, "requests": 1, "cpu_seconds": 0.0, "modeled_seconds": 0.5,
                      "records_per_5_min": 600, "passed": False} for i in range(20000)],
    )
    bound_result(result)
    assert len(json.dumps(result.to_dict())) < MAX_OUTPUT_BYTES
    assert result.verdict == "fail"


def test_what_is_kept_for_people_is_bounded_too():
    result = ReviewResult(
        sites=[{"site": f"s{i}.example", "hosts": [f"h{i}.example"], "supplied_data": False, "credentials": [],
                "data_from": []} for i in range(20000)],
        logs=[{"file": "processdata.js", "report": f"R{i}", "lines": ["x" * 500] * 200, "count": 200}
              for i in range(100)],
    )
    bound_result(result)
    from review.engine.bounds import MAX_FOR_PEOPLE_BYTES
    assert len(json.dumps(result.for_people())) < MAX_FOR_PEOPLE_BYTES
