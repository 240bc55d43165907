"""A NUL character a connector prints, returns or sends is stored written out ("\\u0000"):
PostgreSQL refuses NUL in text and jsonb, and a review must not fail on a connector's
output. The pipeline test runs on both databases; on PostgreSQL it is the real check."""

import json

import pytest

from connectors import services
from review import services as review_services
from review.engine.bounds import NUL_SHOWN_AS, without_nul
from review.engine.findings import Finding
from review.models import Finding as StoredFinding
from review.models import ReviewPhase
from tests.review.helpers import review

NUL_SCRIPT = (
    "DOMO.log('before\\u0000after');\n"
    "httprequest.get('https://api.example.com/me');\n"
    "httprequest.get('https://collector\\u0000.example.net/x?q=\\u0000');\n"
    "datagrid.addColumn('col\\u0000umn');\n"
    "datagrid.addCell('cell\\u0000'); datagrid.endRow();\n"
    "throw new Error('broke\\u0000here');\n"
)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def test_no_nul_is_left_anywhere_in_a_result():
    result = review(processdata=NUL_SCRIPT)
    everything = [result.to_dict(), result.for_people(), result.runs, result.timings]
    assert not [s for s in _strings(everything) if "\x00" in s]
    assert any(NUL_SHOWN_AS in s for s in _strings(result.to_dict()))  # written out, not dropped


def test_it_writes_nul_out_in_strings_keys_and_findings():
    finding = Finding("runtime-error", "error", "automated", "p.js", 1, 1, "a\x00b")
    cleaned = without_nul({"k\x00": [("x\x00",), finding]})
    assert cleaned == {f"k{NUL_SHOWN_AS}": [(f"x{NUL_SHOWN_AS}",), Finding(
        "runtime-error", "error", "automated", "p.js", 1, 1, f"a{NUL_SHOWN_AS}b")]}
    assert without_nul(7) == 7 and without_nul(None) is None


@pytest.mark.django_db
def test_the_pipeline_stores_a_review_of_nul_output(import_connector, alice, tmp_path):
    connector = import_connector("sales-crm")
    services.connector_update(connector=connector, user=alice, processdata_script=NUL_SCRIPT)
    submission = services.connector_submit(connector=connector, user=alice, visibility="company")
    assert review_services.review_submission_now(submission.pk) in ("passed", "failed")
    stored = [f.message for f in StoredFinding.objects.filter(submission=submission)]
    assert any(NUL_SHOWN_AS in m for m in stored)
    details = json.dumps([p.details for p in ReviewPhase.objects.filter(submission=submission)])
    assert "\\u0000" not in details.replace("\\\\u0000", "")  # written out, never a real NUL
