"""What a response offers (values_of) and what a request carries once decoded (variants)."""

import base64
import json
from urllib.parse import quote

import pytest

from review.engine.values import values_of, variants


def test_json_values_are_its_strings_and_numbers_as_javascript_writes_them_not_its_keys():
    body = json.dumps({"items": [{"id": "row-000001", "amount": 2.50, "count": 3.0, "ok": True, "none": None}],
                       "next": "cursor-778899", "total": 123456})
    assert values_of(body) == {"row-000001", "2.5", "3", "cursor-778899", "123456"}


def test_csv_cells_with_and_without_quoting():
    assert values_of("id,name\r\nA-000001,Alpha Ltd\n") == {"id", "name", "A-000001", "Alpha Ltd"}
    assert values_of('id,name\nA-000001,"Beta, Inc."\n') == {"id", "name", "A-000001", "Beta, Inc."}


def test_xml_text_and_attribute_values():
    assert values_of("<rows><row id='r-000001'><name>Alpha &amp; Co</name></row></rows>") >= {"r-000001", "Alpha &amp; Co"}


SECRET = "pw-sample-123"


@pytest.mark.parametrize("sent", [
    quote(SECRET, safe=""),
    "Basic " + base64.b64encode(f"tester:{SECRET}".encode()).decode(),
    "x=" + base64.urlsafe_b64encode(f"..{SECRET}..".encode()).decode().rstrip("="),
    "/v1/" + base64.b64encode(SECRET.encode()).decode(),
    SECRET.encode().hex().upper(),
    "".join(f"\\u{ord(c):04x}" for c in SECRET),
    quote(base64.b64encode(SECRET.encode()).decode(), safe=""),
])
def test_a_value_is_found_in_its_encoded_forms(sent):
    assert any(SECRET in v for v in variants(sent))


def test_plain_text_stays_as_it_is():
    assert variants("plain")[0] == "plain"
