import pytest

from tests.review.helpers import review

RULE = "unmatched-request"
ROW = "\ndatagrid.magicParseJSON('[{\"a\": 1}]');"


@pytest.mark.parametrize("source", [
    "httprequest.get('https://api.example.com/unknown');",
    "httprequest.post('https://api.example.com/rows');",  # method differs
    "httprequest.addParameter('page', '2');\nhttprequest.get('https://api.example.com/rows');",
])
def test_it_warns_about_a_declared_request_without_sample(source):
    result = review(processdata=source + ROW)
    assert [f.severity for f in result.findings if f.rule == RULE] == ["warning"]


@pytest.mark.parametrize("source, responses", [
    ("httprequest.get('https://api.example.com/rows');", None),
    ("httprequest.addParameter('b', '2');\nhttprequest.addParameter('a', '1');\n"
     "httprequest.get('https://api.example.com/q');",
     [{"method": "GET", "url": "https://api.example.com/q?a=1&b=2", "status": 200, "body": "[]"}]),
    ("httprequest.get('https://api.example.com/pages/7');",
     [{"method": "GET", "url_prefix": "https://api.example.com/pages/", "status": 200, "body": "[]"}]),
])
def test_it_matches_exact_reordered_and_prefix_samples(source, responses):
    manifest = None
    if responses:
        me = {"method": "GET", "url": "https://api.example.com/me", "status": 200, "body": "{}"}
        manifest = {"samples": {"account": {}, "responses": [me, *responses]}}
    result = review(processdata=source + ROW, manifest=manifest)
    assert RULE not in {f.rule for f in result.findings}
