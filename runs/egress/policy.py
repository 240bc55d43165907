"""What a live run may send, where: the run's `EgressPolicy`, and one request judged by it.

The policy travels as a dict from the portal (runs.services) to the sandbox worker
process, where runs.egress.client performs the requests it allows.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from review.engine.url_parsing import DEFAULT_PORTS, host_is_declared, parse_url

# RFC 9110 token characters: a header name is one token, nothing else.
HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
# Headers the client sets itself; a script setting them could split or smuggle a request.
RESERVED_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection", "te", "upgrade",
                              "proxy-authorization", "proxy-connection", "keep-alive", "trailer", "expect"})


class Refused(Exception):
    """The policy refused a request (before any connection was made)."""


@dataclass(frozen=True)
class EgressPolicy:
    hosts: tuple[str, ...]  # the version's declared `hosts` patterns
    http_hosts: tuple[str, ...] = ()  # declared hosts whose declared URLs say http://
    host_map: dict[str, str] = field(default_factory=dict)  # host -> "127.0.0.1:port" (DEBUG and tests only)
    max_requests: int = 500
    max_response_bytes: int = 5 * 1024 * 1024
    max_total_bytes: int = 50 * 1024 * 1024
    run_seconds: float = 120.0
    request_seconds: float = 30.0
    max_redirects: int = 5
    masks: tuple[str, ...] = ()  # secret values to hide in every message

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> EgressPolicy:
        data = dict(data)
        for name in ("hosts", "http_hosts", "masks"):
            data[name] = tuple(data.get(name) or ())
        return cls(**data)

    def mask(self, text: str) -> str:
        for secret in sorted((m for m in self.masks if m), key=len, reverse=True):
            text = text.replace(secret, "****")
        return text


@dataclass(frozen=True)
class Target:
    """Where one allowed request goes: the URL's scheme, host and port, and a mapped test server."""

    scheme: str
    host: str  # as the WHATWG parser reads it, lower case, no trailing dot
    port: int
    mapped: tuple[str, int] | None = None  # LIVE_RUN_HOST_MAP's (address, port), plain HTTP

    @property
    def host_header(self) -> str:
        default = int(DEFAULT_PORTS[self.scheme])
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == default else f"{name}:{self.port}"


def target_of(url: str, policy: EgressPolicy) -> Target:
    """The request's target when its URL is allowed by the policy; Refused otherwise."""
    parsed = parse_url(url)
    if parsed is None or parsed.scheme not in DEFAULT_PORTS:
        raise Refused("only http(s) URLs can be requested")
    if not host_is_declared(url, list(policy.hosts)):
        raise Refused(f"{parsed.hostport} is not one of the connector's declared hosts")
    host = parsed.host.rstrip(".").lower()
    if parsed.scheme == "http" and host not in policy.http_hosts and parsed.hostport not in policy.http_hosts:
        raise Refused(f"plain http:// to {host} is refused: the connector's URLs for it say https://")
    port = int(parsed.port or DEFAULT_PORTS[parsed.scheme])
    mapped = None
    for key in (f"{host}:{port}", host):
        if key in policy.host_map:
            address, _, mapped_port = policy.host_map[key].rpartition(":")
            mapped = (address, int(mapped_port))
            break
    return Target(parsed.scheme, host, port, mapped)


def check_headers(headers: dict) -> dict[str, str]:
    """The script's headers as sent, or Refused: CR, LF or NUL anywhere, or a name that is not a token."""
    clean = {}
    for name, value in headers.items():
        name, value = str(name), str(value)
        if not HEADER_NAME.match(name):
            raise Refused(f"header name {name[:40]!r} is not a valid token")
        if any(c in value for c in "\r\n\x00"):
            raise Refused(f"header {name} holds a line break (header injection)")
        if name.lower() in RESERVED_HEADERS:
            raise Refused(f"header {name} is set by the portal, not by the connector")
        clean[name] = value
    return clean
