"""The manifest's `hosts` rule, for the static checks (sandbox_runtime.js has its JS twin)."""

from __future__ import annotations

import re

URL_AUTHORITY = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*)://([^/?#]*)")


def url_host(url: str) -> str | None:
    """'host' or 'host:port' of an absolute URL (the part after any user:pass@), else None."""
    match = URL_AUTHORITY.match(url)
    if not match:
        return None
    authority = match.group(2)
    # A prefix like 'https://' + host ends before the host is known.
    return authority[authority.rfind("@") + 1 :].lower() or None


def authority_is_complete(url_start: str) -> bool:
    """True when the start of a URL holds its whole host: 'https://h/x?o=' + n, not 'https://api.' + region."""
    match = URL_AUTHORITY.match(url_start)
    return bool(match and match.group(2) and match.end() < len(url_start))


def host_is_declared(url: str, hosts: list[str]) -> bool:
    match = URL_AUTHORITY.match(url)
    if not match:
        return True  # not a URL we can judge statically
    default_port = "443" if match.group(1).lower() == "https" else "80"
    host, _, port = (url_host(url) or "").partition(":")
    for pattern in (h.lower() for h in hosts):
        if ":" in pattern:
            if f"{host}:{port or default_port}" == pattern:
                return True
        elif port not in ("", default_port):
            continue
        elif pattern.startswith("*."):
            if host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
                return True
        elif host == pattern:
            return True
    return False
