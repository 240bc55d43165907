import pytest

from tests.review.helpers import static_findings

RULE = "no-xmlhttprequest"


@pytest.mark.parametrize("source", [
    "var x = new XMLHttpRequest();",
    "var X = window['XMLHttp' + 'Request'];",
    "var r = fetch('https://api.example.com/a');",
    "var a = new ActiveXObject('Msxml2.XMLHTTP');",
    "var x = globalThis.XMLHttpRequest;",
    "var f = x?.y ?? new XMLHttpRequest();",  # ES2020 still checked
])
def test_it_reports_a_reference_in_code(source):
    findings = static_findings(source, RULE)
    assert findings and findings[0].line == 1 and findings[0].column >= 1


@pytest.mark.parametrize("source", [
    "// XMLHttpRequest is not allowed, so we use httprequest\nhttprequest.get('https://api.example.com');",
    "var note = 'XMLHttpRequest and fetch are browser APIs';",
    "function fetch(url) { return httprequest.get(url); }\nfetch('https://api.example.com/x');",
    "var cursor = {fetch: function () { return 1; }}; cursor.fetch();",
    "/* new XMLHttpRequest() */ var x = 1;",
])
def test_it_ignores_comments_strings_and_own_names(source):
    assert static_findings(source, RULE) == []
