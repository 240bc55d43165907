import pytest

from tests.review.helpers import static_findings

RULE = "insecure-url"


@pytest.mark.parametrize("source", [
    "httprequest.get('http://api.example.com/a');",
    "var base = \"http://api.example.com\";",
    "var u = `http://api.example.com/${id}`;",
])
def test_it_warns_about_http(source):
    [finding] = static_findings(source, RULE)
    assert finding.severity == "warning"


@pytest.mark.parametrize("source", [
    "httprequest.get('https://api.example.com/a');",
    "// docs: http://example.com/docs\nvar a = 1;",
    "var ns = 'http://www.w3.org/2001/XMLSchema-instance';",
])
def test_it_ignores_https_comments_and_namespaces(source):
    assert static_findings(source, RULE) == []
