"""Sites: a host's registrable domain, from the Public Suffix List (bundle-format.md, "Data flow").

`api.acme.co.uk` and `login.acme.co.uk` are one site; an IP address is its own site. The
list is the one publicsuffixlist ships (no download at run time).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache


def site_of(host: str) -> str:
    """The registrable domain of a host (Public Suffix List); an IP address is its own site."""
    host = host.lower().rstrip(".")
    if host.startswith("[") and "]" in host:
        return host[: host.index("]") + 1]
    host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    return _psl_for(host.rsplit(".", 1)[-1]).privatesuffix(host) or host


@lru_cache(maxsize=256)
def _psl_for(tld: str):
    """The Public Suffix List's rules for one top-level label, as a PublicSuffixList.

    Only rules ending in a host's own top-level label can match it, so a list of those
    answers exactly as the whole list does (tests/review/test_dataflow_sites.py checks
    this), and builds in microseconds where the whole list takes ~0.1 s.
    """
    from publicsuffixlist import PublicSuffixList

    rules = _rules_by_tld()
    lines = rules.get(tld, [])
    if tld.startswith("xn--"):
        try:
            lines = lines + rules.get(tld.encode("ascii").decode("idna"), [])
        except UnicodeError:
            pass
    return PublicSuffixList(source="\n".join(lines))


@lru_cache(maxsize=1)
def _rules_by_tld() -> dict[str, list[str]]:
    """The bundled list's rules, by their last label (read once per process)."""
    from publicsuffixlist import PSLFILE

    rules: dict[str, list[str]] = {}
    with open(PSLFILE, encoding="utf-8") as source:
        for line in source:
            rule = line.strip()
            if rule and not rule.startswith("//"):
                rule = rule.split()[0]
                rules.setdefault(rule.rsplit(".", 1)[-1].lstrip("!*").lower(), []).append(rule)
    return rules
