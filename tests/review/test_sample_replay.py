"""Samples replay like the API: body_contains, and matching samples answering in order."""

import json
from concurrent.futures import ThreadPoolExecutor

from review.engine.sandbox_worker import run_script
from tests.review.dataflow_cases import flow_review, rules

PAGE = "https://api.example.com/search"


def bodies(source, responses):
    setup = {"hosts": ["api.example.com"], "responses": responses, "account": {}, "parameters": {}, "report": "R"}
    with ThreadPoolExecutor(max_workers=1) as executor:
        reply = executor.submit(run_script, source, setup, 5, 64).result()
    assert reply["status"] == "ok" and reply["record"]["error"] is None
    return reply["record"]["log_lines"]


def test_it_answers_matching_samples_in_listed_order_each_once_then_repeats_the_last():
    responses = [{"method": "GET", "url": "https://api.example.com/n", "body": str(i)} for i in range(3)]
    source = "for (var i = 0; i < 5; i++) { DOMO.log(httprequest.get('https://api.example.com/n')); }\n"
    assert bodies(source, responses) == ["0", "1", "2", "2", "2"]


def test_it_matches_on_the_request_body_when_a_sample_gives_body_contains():
    responses = [{"method": "POST", "url": PAGE, "body_contains": '"page": 2', "body": "second"},
                 {"method": "POST", "url": PAGE, "body_contains": '"page": 1', "body": "first"},
                 {"method": "POST", "url": PAGE, "body_contains": "nothing like this", "body": "never"}]
    source = ("DOMO.log(httprequest.post('%s', '{\"page\": 1}'));\n"
              "DOMO.log(httprequest.post('%s', '{\"page\": 2}'));\n"
              "DOMO.log(httprequest.post('%s', '{\"page\": 3}'));\n"
              "DOMO.log(httprequest.getStatusCode());\n") % (PAGE, PAGE, PAGE)
    assert bodies(source, responses) == ["first", "second", "", "404"]


def test_exact_and_prefix_samples_answer_in_the_order_they_are_listed():
    responses = [{"method": "GET", "url_prefix": "https://api.example.com/items", "body": "prefix"},
                 {"method": "GET", "url": "https://api.example.com/items?b=2&a=1", "body": "exact"}]
    source = "for (var i = 0; i < 3; i++) { DOMO.log(httprequest.get('https://api.example.com/items?a=1&b=2')); }\n"
    assert bodies(source, responses) == ["prefix", "exact", "exact"]


def test_a_get_sample_does_not_answer_a_post():
    responses = [{"method": "GET", "url": PAGE, "body": "get"}]
    assert bodies(f"DOMO.log(httprequest.post('{PAGE}', 'x'));\n", responses) == [""]


def test_an_api_paged_by_the_post_body_that_ends_on_an_empty_page_is_reviewed_without_timeout():
    pages = [{"method": "POST", "url": PAGE, "body_contains": f'"offset":{n}',
              "body": json.dumps([{"id": f"row-{n + i:06d}", "name": f"Customer {n + i}"} for i in range(300)])}
             for n in (0, 300)]
    pages.append({"method": "POST", "url": PAGE, "body": "[]"})  # any later offset: the empty last page
    source = ("var offset = 0;\nwhile (true) {\n"
              "  var page = JSON.parse(httprequest.post('%s', JSON.stringify({offset: offset})));\n"
              "  if (!page.length) { break; }\n  if (offset === 0) { datagrid.magicParseJSON(page); } "
              "else { datagrid.magicParseJSON(page); }\n  offset += page.length;\n}\n") % PAGE
    result = flow_review(source, pages)
    assert "timeout" not in rules(result) and "no-rows" not in rules(result)
    assert result.performance[0]["records"] == 600 and result.performance[0]["requests"] == 3
