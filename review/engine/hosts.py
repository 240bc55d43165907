"""The manifest's `hosts` rule, for the static checks (the sandbox has its JS twin)."""

from __future__ import annotations

import re

URL_AUTHORITY = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*)://([^/?#]*)")


def url_host(url: str) -> str | None:
    """'host' or 'host:port' of an absolute URL (the part after any user:pass@), else None."""
    match = URL_AUTHORITY.match(url)
    if not match or not match.group(2):
        return None
    authority = match.group(2)
    hostport = authority[authority.rfind("@") + 1 :].lower()
    # A prefix like 'https://' + host ends before the host is known.
    return hostport or None


def host_is_declared(url: str, hosts: list[str]) -> bool:
    match = URL_AUTHORITY.match(url)
    if not match:
        return True  # not a URL we can judge statically
    scheme = match.group(1).lower()
    hostport = url_host(url) or ""
    host, _, port = hostport.partition(":")
    default_port = port in ("", "443" if scheme == "https" else "80")
    for pattern in (h.lower() for h in hosts):
        if ":" in pattern:
            if f"{host}:{port or ('443' if scheme == 'https' else '80')}" == pattern:
                return True
        elif not default_port:
            continue
        elif pattern.startswith("*."):
            if host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
                return True
        elif host == pattern:
            return True
    return False
