"""Performing a live run's requests under its EgressPolicy, with urllib3.

One `EgressSession` per run: it counts requests and bytes, keeps the run's deadline,
and keeps no cookies (nothing outlives the run). For each request: the URL is judged
(declared host, scheme), the name is resolved once, every answer is judged
(addresses.refusal) and the connection goes to that checked address, with TLS's SNI,
the certificate's name check and the Host header all on the name: no second lookup
can swap the address. Redirects are followed here, each hop judged again.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin

import urllib3
from urllib3.util import Timeout

from runs.egress.addresses import literal_address, normalise, refusal
from runs.egress.policy import EgressPolicy, Refused, Target, check_headers, target_of

REDIRECTS = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for the name (asked once per request)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return [info[4][0] for info in infos]


@dataclass
class Response:
    status: int
    headers: dict[str, str]  # lower-case names
    body: str
    url: str  # the URL that answered, after redirects


class EgressSession:
    def __init__(self, policy: EgressPolicy, resolver: Callable[[str, int], list[str]] = system_resolver,
                 clock: Callable[[], float] = time.monotonic):
        self.policy = policy
        self.resolver = resolver
        self.clock = clock
        self.deadline = clock() + policy.run_seconds
        self.requests = 0
        self.bytes = 0

    # ---- the one public call ----
    def fetch(self, method: str, url: str, headers: dict | None = None, body: str | None = None) -> Response:
        """The response, redirects followed; Refused when the policy stops it (message masked)."""
        try:
            return self._fetch(method.upper(), url, check_headers(headers or {}), body)
        except Refused as refused:
            raise Refused(self.policy.mask(str(refused))) from None

    def _fetch(self, method: str, url: str, headers: dict, body: str | None) -> Response:
        for _ in range(self.policy.max_redirects + 1):
            target = target_of(url, self.policy)
            response = self._one(method, url, target, headers, body)
            location = response.headers.get("location")
            if response.status not in REDIRECTS or not location:
                return response
            following = urljoin(url, location)
            if response.status == 303 or (response.status in (301, 302) and method == "POST"):
                method, body = "GET", None
            if target_of(following, self.policy).host != target.host:
                # Credentials meant for one host never travel to another.
                headers = {k: v for k, v in headers.items() if k.lower() not in ("authorization", "cookie")}
            url = following
        raise Refused(f"more than {self.policy.max_redirects} redirects")

    # ---- one request, one connection ----
    def _one(self, method: str, url: str, target: Target, headers: dict, body: str | None) -> Response:
        if self.requests >= self.policy.max_requests:
            raise Refused(f"the run's limit of {self.policy.max_requests} requests was reached")
        left = self.deadline - self.clock()
        if left <= 0:
            raise Refused(f"the run's time limit of {self.policy.run_seconds:g} s was reached")
        self.requests += 1
        address, port, scheme = self._address(target)
        timeout = Timeout(connect=min(left, self.policy.request_seconds), read=min(left, self.policy.request_seconds))
        kwargs = {"timeout": timeout, "retries": False, "maxsize": 1, "block": False}
        if scheme == "https":
            pool = urllib3.HTTPSConnectionPool(address, port, server_hostname=target.host, assert_hostname=target.host,
                                               cert_reqs="CERT_REQUIRED", **kwargs)
        else:
            pool = urllib3.HTTPConnectionPool(address, port, **kwargs)
        path = _path_of(url)
        sent = {**headers, "Host": target.host_header}
        data = body.encode("utf-8") if body is not None else None
        try:
            raw = pool.urlopen(method, path, body=data, headers=sent, redirect=False, preload_content=False,
                               assert_same_host=False, release_conn=False)
            try:
                content = self._read(raw)
            finally:
                raw.release_conn()
        except urllib3.exceptions.HTTPError as error:
            raise Refused(f"{target.host}: {_reason(error)}") from None
        finally:
            pool.close()
        names = {k.lower(): v for k, v in raw.headers.items()}
        return Response(raw.status, names, content.decode(_charset(names), "replace"), url)

    def _address(self, target: Target) -> tuple[str, int, str]:
        """(address, port, scheme) to connect to: the host map's test server, or the one checked answer."""
        if target.mapped is not None:
            return target.mapped[0], target.mapped[1], "http"
        literal = literal_address(target.host)
        if literal is not None:
            answers = [literal]
        else:
            try:
                answers = [normalise(a) for a in self.resolver(target.host, target.port)]
            except (OSError, ValueError) as error:
                raise Refused(f"{target.host} could not be resolved ({error})") from None
        if not answers:
            raise Refused(f"{target.host} could not be resolved")
        for answer in answers:
            why = refusal(answer)
            if why:
                # One bad answer refuses the name: a resolver mixing a public and a private
                # address is the rebinding trick, whichever one a client would pick.
                raise Refused(f"{target.host} resolves to a {why}, which live runs never reach")
        return str(answers[0]), target.port, target.scheme

    def _read(self, raw) -> bytes:
        """The body, within the response cap, the run's byte budget and its deadline (slow drips too)."""
        cap = self.policy.max_response_bytes
        chunks, size = [], 0
        while True:
            if self.clock() > self.deadline:
                raise Refused(f"the run's time limit of {self.policy.run_seconds:g} s was reached while reading")
            chunk = raw.read1(CHUNK) if hasattr(raw, "read1") else raw.read(CHUNK)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            self.bytes += len(chunk)
            if size > cap:
                raise Refused(f"a response passed the limit of {cap} bytes")
            if self.bytes > self.policy.max_total_bytes:
                raise Refused(f"the run passed its limit of {self.policy.max_total_bytes} bytes received")
            chunks.append(chunk)


def _path_of(url: str) -> str:
    parsed = urllib3.util.parse_url(url)
    return (parsed.path or "/") + (f"?{parsed.query}" if parsed.query is not None else "")


def _charset(headers: dict) -> str:
    content_type = headers.get("content-type", "")
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            try:
                "".encode(value.strip('"'))
                return value.strip('"')
            except LookupError:
                break
    return "utf-8"


def _reason(error: Exception) -> str:
    reason = getattr(error, "reason", None) or error
    return type(reason).__name__ + (f": {str(reason)[:200]}" if str(reason) else "")
