"""The egress policy against hostile connectors: every refusal happens before any connection.

No test here reaches anything but the local API on 127.0.0.1 (through LIVE_RUN_HOST_MAP,
or through a stub resolver with the address judge told to let that one address pass);
the session-wide guard (tests/conftest.py) fails any other connect before it is made.
"""

import ipaddress
import socket
import time

import pytest

from runs.egress import addresses, client
from runs.egress.client import EgressSession
from runs.egress.host_map import parse_host_map
from runs.egress.loopback_guard import NonLoopbackConnect, installed
from runs.egress.policy import EgressPolicy, Refused
from tests.runs.local_api import LocalApi


@pytest.fixture
def api():
    server = LocalApi({"/ok": lambda r: (200, {"Content-Type": "application/json"}, '{"ok": true}')})
    yield server
    server.close()


def never_resolve(host, port):
    raise AssertionError(f"the resolver was asked about {host}")


def resolving(answers):
    calls = []

    def resolver(host, port):
        calls.append(host)
        return list(answers[min(len(calls), len(answers)) - 1])

    resolver.calls = calls
    return resolver


def policy(**kwargs):
    base = {"hosts": ("api.example.com",)}
    base.update(kwargs)
    return EgressPolicy(**base)


# ---- the guard itself ----

def test_the_guard_is_installed_and_stops_a_non_loopback_connect_before_it_is_made():
    assert installed()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(NonLoopbackConnect):
            sock.connect(("192.0.2.1", 443))  # TEST-NET-1: would go nowhere, and is never tried
    finally:
        sock.close()


# ---- every blocked class, in IPv4 and IPv6 and their embeddings ----

BLOCKED = [
    ("127.0.0.1", "loopback"), ("127.255.255.254", "loopback"), ("::1", "loopback"),
    ("10.0.0.1", "private"), ("172.16.5.4", "private"), ("192.168.1.1", "private"), ("fd12:3456::1", "private"),
    ("100.64.0.1", "private"),  # carrier-grade NAT
    ("169.254.1.1", "link-local"), ("fe80::1", "link-local"),
    ("224.0.0.251", "multicast"), ("ff02::1", "multicast"),
    ("240.0.0.1", ""), ("255.255.255.255", ""), ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("169.254.169.254", "metadata"), ("169.254.170.2", "metadata"), ("fd00:ec2::254", "metadata"),
    ("100.100.100.200", "metadata"), ("192.0.0.192", "metadata"),
    ("::ffff:127.0.0.1", "embedded"), ("::ffff:169.254.169.254", "metadata"), ("::ffff:10.0.0.1", "embedded"),
    ("::127.0.0.1", "embedded"), ("::10.0.0.1", "embedded"),  # IPv4-compatible
    ("2002:7f00:1::", "embedded"), ("2002:a9fe:a9fe::", "metadata"),  # 6to4 of 127.0.0.1, 169.254.169.254
    ("64:ff9b::7f00:1", "embedded"), ("64:ff9b::a9fe:a9fe", "metadata"), ("64:ff9b:1::a00:1", ""),  # NAT64
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", "embedded"),  # Teredo of 127.0.0.1
    ("fec0::1", ""), ("2001:db8::1", ""), ("192.0.2.1", ""), ("198.18.0.1", ""),
]


@pytest.mark.parametrize(("address", "word"), BLOCKED)
def test_every_blocked_class_is_refused_by_the_address_judge(address, word):
    why = addresses.refusal(ipaddress.ip_address(address))
    assert why is not None
    assert word in why


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "8.8.8.8"])
def test_a_public_unicast_address_passes_the_judge(address):
    assert addresses.refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(("address", "word"), BLOCKED)
def test_a_declared_name_resolving_to_a_blocked_address_is_refused_before_connecting(address, word):
    session = EgressSession(policy(), resolver=resolving([[address]]))
    with pytest.raises(Refused, match="resolves to a"):
        session.fetch("GET", "https://api.example.com/data")


# Every way of writing 127.0.0.1 and 169.254.169.254 in a URL or a resolver's answer.
ENCODINGS = ["2130706433", "0x7f000001", "0x7f.1", "0177.0.0.1", "127.1", "0177.1", "0x7F.0.0.1", "017700000001",
             "2852039166", "0xa9fea9fe", "0251.0376.0251.0376", "169.254.43518", "0xa9.0xfe.0xa9.0xfe"]


@pytest.mark.parametrize("literal", ENCODINGS)
def test_an_ip_literal_host_in_any_encoding_is_refused_without_a_lookup(literal):
    session = EgressSession(policy(hosts=(literal, "127.0.0.1", "169.254.169.254")), resolver=never_resolve)
    with pytest.raises(Refused):
        session.fetch("GET", f"https://{literal}/x")


@pytest.mark.parametrize("literal", ["[::1]", "[::ffff:7f00:1]", "[::ffff:127.0.0.1]", "[fd00:ec2::254]", "[0:0:0:0:0:0:0:1]"])
def test_an_ipv6_literal_host_is_refused_without_a_lookup(literal):
    session = EgressSession(policy(hosts=(literal, "[::1]", "[::ffff:7f00:1]", "[fd00:ec2::254]")), resolver=never_resolve)
    with pytest.raises(Refused):
        session.fetch("GET", f"https://{literal}/x")


@pytest.mark.parametrize("answer", ENCODINGS + ["::ffff:7f00:1", "0:0:0:0:0:ffff:7f00:1", "fe80::1%eth0"])
def test_a_resolver_answer_in_any_encoding_is_normalised_then_refused(answer):
    session = EgressSession(policy(), resolver=resolving([[answer]]))
    with pytest.raises(Refused):
        session.fetch("GET", "https://api.example.com/x")


def test_one_bad_answer_among_good_ones_refuses_the_name():
    session = EgressSession(policy(), resolver=resolving([["93.184.215.14", "10.0.0.7"]]))
    with pytest.raises(Refused, match="private"):
        session.fetch("GET", "https://api.example.com/x")


# ---- DNS answers that change between lookups ----

def test_the_name_is_resolved_once_and_the_checked_address_is_the_one_connected(api, monkeypatch):
    # The judge lets the local API's address pass for this test only; the resolver answers
    # it the first time and a private address every time after. A second lookup (by the
    # client, or by connect()) would reach 10.0.0.1 and the guard would fail the test.
    monkeypatch.setattr(client, "refusal", lambda a: None if str(a) == "127.0.0.1" else "private address")
    resolver = resolving([["127.0.0.1"], ["10.0.0.1"]])
    declared = f"api.example.com:{api.port}"
    session = EgressSession(policy(hosts=(declared,), http_hosts=(declared,)), resolver=resolver)
    response = session.fetch("GET", f"http://api.example.com:{api.port}/ok")
    assert response.status == 200 and response.body == '{"ok": true}'
    assert resolver.calls == ["api.example.com"]
    assert api.seen[0]["headers"]["host"] == f"api.example.com:{api.port}"
    # The next request asks again (once), gets the rebound answer, and is refused.
    with pytest.raises(Refused, match="private"):
        session.fetch("GET", f"http://api.example.com:{api.port}/ok")
    assert resolver.calls == ["api.example.com", "api.example.com"]
    assert len(api.seen) == 1


# ---- hosts and schemes ----

@pytest.mark.parametrize("url", [
    "https://evil.example.net/x", "https://api.example.com.evil.net/", "https://evil.net\\@api.example.com/",
    "https://api.example.com@evil.net/", "https://api.example.com:8443/", "ftp://api.example.com/", "file:///etc/passwd",
    "gopher://api.example.com/", "https://xn--api-example.com/", "not a url",
])
def test_an_undeclared_host_or_another_scheme_is_refused_without_a_lookup(url):
    session = EgressSession(policy(), resolver=never_resolve)
    with pytest.raises(Refused):
        session.fetch("GET", url)


def test_plain_http_is_refused_for_a_host_whose_urls_say_https():
    session = EgressSession(policy(), resolver=never_resolve)
    with pytest.raises(Refused, match="https"):
        session.fetch("GET", "http://api.example.com/x")


def test_plain_http_to_a_host_declared_with_http_goes_to_its_checked_address(api):
    session = EgressSession(policy(http_hosts=("api.example.com",), host_map={"api.example.com": api.address}),
                            resolver=never_resolve)
    assert session.fetch("GET", "http://api.example.com/ok").status == 200


# ---- redirects ----

def redirecting(location, status=302):
    return lambda r: (status, {"Location": location}, "")


@pytest.fixture
def redirects():
    server = LocalApi({
        "/to-undeclared": redirecting("https://evil.example.net/steal"),
        "/to-private": redirecting("https://internal.example.com/admin"),
        "/to-metadata-literal": redirecting("http://169.254.169.254/latest/meta-data/"),
        "/to-http": redirecting("http://api.example.com/ok"),
        "/to-loop": redirecting("/to-loop"),
        "/to-relative": redirecting("/ok?page=2", 301),
        "/post-303": redirecting("/ok", 303),
        "/ok": lambda r: (200, {}, "fine"),
    })
    yield server
    server.close()


def redirect_session(server, **kwargs):
    return EgressSession(policy(hosts=("api.example.com", "internal.example.com"),
                                host_map={"api.example.com": server.address}, **kwargs),
                         resolver=resolving([["10.1.2.3"]]))


@pytest.mark.parametrize(("path", "why"), [
    ("/to-undeclared", "not one of the connector's declared hosts"),
    ("/to-private", "resolves to a private"),
    ("/to-metadata-literal", "declared hosts"),
    ("/to-http", "https"),
    ("/to-loop", "redirects"),
])
def test_a_redirect_is_judged_again_like_a_new_request(redirects, path, why):
    with pytest.raises(Refused, match=why):
        redirect_session(redirects).fetch("GET", f"https://api.example.com{path}")


def test_a_redirect_on_the_declared_host_is_followed(redirects):
    response = redirect_session(redirects).fetch("GET", "https://api.example.com/to-relative")
    assert (response.status, response.body) == (200, "fine")
    assert redirects.seen[-1]["query"] == {"page": ["2"]}


def test_a_303_after_a_post_becomes_a_get_without_the_body(redirects):
    redirect_session(redirects).fetch("POST", "https://api.example.com/post-303", body="secret=1")
    assert [(r["method"], r["body"]) for r in redirects.seen] == [("POST", "secret=1"), ("GET", "")]


# ---- sizes, counts, time ----

@pytest.fixture
def heavy():
    def drip(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "100")
        handler.end_headers()
        for _ in range(100):
            try:
                handler.wfile.write(b"x")
                handler.wfile.flush()
            except OSError:
                return
            time.sleep(0.1)

    server = LocalApi({"/big": lambda r: (200, {}, b"x" * 300_000), "/small": lambda r: (200, {}, b"x" * 1000),
                       "/drip": lambda r: drip, "/silent": lambda r: lambda h: time.sleep(3)})
    yield server
    server.close()


def heavy_session(server, **kwargs):
    return EgressSession(policy(host_map={"api.example.com": server.address}, **kwargs), resolver=never_resolve)


def test_an_oversized_response_is_cut_off(heavy):
    with pytest.raises(Refused, match="limit of 100000 bytes"):
        heavy_session(heavy, max_response_bytes=100_000).fetch("GET", "https://api.example.com/big")


def test_the_run_total_bytes_are_capped(heavy):
    session = heavy_session(heavy, max_total_bytes=2500)
    session.fetch("GET", "https://api.example.com/small")
    session.fetch("GET", "https://api.example.com/small")
    with pytest.raises(Refused, match="bytes received"):
        session.fetch("GET", "https://api.example.com/small")


def test_the_request_count_is_capped(heavy):
    session = heavy_session(heavy, max_requests=2)
    session.fetch("GET", "https://api.example.com/small")
    session.fetch("GET", "https://api.example.com/small")
    with pytest.raises(Refused, match="limit of 2 requests"):
        session.fetch("GET", "https://api.example.com/small")
    assert len(heavy.seen) == 2


def test_a_slow_drip_is_stopped_at_the_run_time_limit(heavy):
    started = time.monotonic()
    with pytest.raises(Refused, match="time limit"):
        heavy_session(heavy, run_seconds=1.0).fetch("GET", "https://api.example.com/drip")
    assert time.monotonic() - started < 2.5


def test_a_silent_server_is_stopped_by_the_read_timeout(heavy):
    started = time.monotonic()
    with pytest.raises(Refused, match="Timeout"):
        heavy_session(heavy, request_seconds=0.5).fetch("GET", "https://api.example.com/silent")
    assert time.monotonic() - started < 2


def test_no_request_is_made_once_the_run_time_is_spent(heavy):
    now = [0.0]
    session = EgressSession(policy(host_map={"api.example.com": heavy.address}, run_seconds=10), resolver=never_resolve,
                            clock=lambda: now[0])
    now[0] = 11
    with pytest.raises(Refused, match="time limit"):
        session.fetch("GET", "https://api.example.com/small")
    assert heavy.seen == []


# ---- headers and cookies ----

@pytest.mark.parametrize("headers", [
    {"X-Token": "a\r\nHost: evil.example.net"}, {"X-Token": "a\nSet: b"}, {"X-Token": "a\rb"}, {"X-Token": "a\x00b"},
    {"X-Token\r\nHost": "b"}, {"X Token": "b"}, {"X-Token:": "b"}, {"": "b"},
    {"Host": "evil.example.net"}, {"Content-Length": "0"}, {"Transfer-Encoding": "chunked"},
])
def test_header_injection_is_refused_before_connecting(api, headers):
    session = EgressSession(policy(host_map={"api.example.com": api.address}), resolver=never_resolve)
    with pytest.raises(Refused):
        session.fetch("GET", "https://api.example.com/ok", headers=headers)
    assert api.seen == []


def test_no_cookie_is_kept_between_requests_or_runs():
    server = LocalApi({"/login": lambda r: (200, {"Set-Cookie": "sid=abc; Path=/"}, "in"),
                       "/ok": lambda r: (200, {}, "ok")})
    try:
        session = EgressSession(policy(host_map={"api.example.com": server.address}), resolver=never_resolve)
        assert session.fetch("GET", "https://api.example.com/login").headers["set-cookie"].startswith("sid=abc")
        session.fetch("GET", "https://api.example.com/ok")
        assert "cookie" not in server.seen[-1]["headers"]
    finally:
        server.close()


def test_a_secret_in_a_refused_url_is_masked():
    session = EgressSession(policy(masks=("s3cr3t-key",)), resolver=never_resolve)
    with pytest.raises(Refused) as refused:
        session.fetch("GET", "https://evil.example.net/?key=s3cr3t-key")
    assert "s3cr3t-key" not in str(refused.value)


# ---- the host map ----

def test_the_host_map_reads_pairs_and_only_loopback_targets():
    assert parse_host_map("api.example.com=127.0.0.1:8123, Other.example=[::1]:9") == {
        "api.example.com": "127.0.0.1:8123", "other.example": "::1:9"}
    for bad in ["api.example.com=10.0.0.1:80", "api.example.com=169.254.169.254:80", "api.example.com", "=127.0.0.1:1",
                "api.example.com=127.0.0.1"]:
        with pytest.raises(ValueError):
            parse_host_map(bad)


def test_without_the_host_map_a_declared_loopback_name_is_refused():
    session = EgressSession(policy(hosts=("localhost",)), resolver=resolving([["127.0.0.1", "::1"]]))
    with pytest.raises(Refused, match="loopback"):
        session.fetch("GET", "https://localhost/")
