"""Hosts read from URLs as the WHATWG URL Standard reads them (bundle-format.md, "The sandbox").

What a browser or an HTTP client would send a request to, through ada-url (a WHATWG
URL parser): `https://evil.example\\@declared.example/` goes to evil.example, percent-
encoding and IDNA are resolved, `0x7f.1` is 127.0.0.1. The sandbox's JavaScript twin is
sandbox_js/url_hosts.js; tests/review/hardening/test_url_hosts.py holds the table both must agree on.
A URL whose host cannot be read counts as undeclared.
"""

from __future__ import annotations

from dataclasses import dataclass

from ada_url import URL

DEFAULT_PORTS = {"http": "80", "https": "443"}
SPECIAL_SCHEMES = {"http", "https", "ws", "wss", "ftp", "file"}
MAX_URL = 100_000  # longer text is not a URL a connector sends; it counts as unreadable


@dataclass(frozen=True)
class ParsedUrl:
    scheme: str  # "https"
    host: str  # "api.example.com", "127.0.0.1", "[::1]", "xn--bcher-kva.example"
    port: str  # "" for the scheme's default port

    @property
    def hostport(self) -> str:
        return f"{self.host}:{self.port}" if self.port else self.host


def parse_url(url: str) -> ParsedUrl | None:
    if not isinstance(url, str) or len(url) > MAX_URL:
        return None
    try:
        parsed = URL(url)
    except ValueError:
        return None
    host = parsed.hostname
    if not host:
        return None
    return ParsedUrl(parsed.protocol.rstrip(":"), host, parsed.port or "")


def url_host(url: str) -> str | None:
    """'host' or 'host:port' of an absolute URL as a client reads it, else None."""
    parsed = parse_url(url)
    return parsed.hostport if parsed else None


def host_is_declared(url: str, hosts: list[str]) -> bool:
    """True when the URL's host is one of the manifest's `hosts` patterns."""
    parsed = parse_url(url)
    if parsed is None or parsed.scheme not in DEFAULT_PORTS:
        return False
    host = parsed.host[:-1] if parsed.host.endswith(".") else parsed.host
    port = parsed.port or DEFAULT_PORTS[parsed.scheme]
    for pattern in (h.lower() for h in hosts):
        name, colon, pattern_port = pattern.partition(":")
        if (pattern_port != port) if colon else parsed.port:
            continue
        if name.startswith("*."):
            if host.endswith(name[1:]) and len(host) > len(name) - 1:
                return True
        elif host == name:
            return True
    return False


def looks_like_url(text: str) -> bool:
    """A scheme followed by ':' (what the static check may judge at all)."""
    scheme, colon, _ = text.lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f "
                                   "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f").partition(":")
    return bool(colon) and scheme[:1].isascii() and scheme[:1].isalpha() and all(
        c.isascii() and (c.isalnum() or c in "+-.") for c in scheme)


def authority_is_complete(url_start: str) -> bool:
    """True when the start of a URL holds its whole host: 'https://h/x?o=' + n, not 'https://api.' + region.

    After the scheme (and, for http(s), any run of slashes and backslashes), the
    authority ends at the first '/', '?', '#' or (http(s)) '\\'; whatever follows that
    cannot change the host.
    """
    text = url_start.replace("\t", "").replace("\n", "").replace("\r", "").lstrip()
    if not looks_like_url(text):
        return False
    scheme, _, rest = text.partition(":")
    special = scheme.lower() in SPECIAL_SCHEMES
    rest = rest.lstrip("/\\") if special else rest[2:] if rest.startswith("//") else None
    if not rest:
        return False
    ends = "/?#\\" if special else "/?#"
    return any(c in ends for c in rest[1:]) and rest[0] not in ends
