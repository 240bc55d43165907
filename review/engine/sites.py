"""Sites: a host's registrable domain, from the Public Suffix List (bundle-format.md, "Data flow").

`api.acme.co.uk` and `login.acme.co.uk` are one site; an IP address is its own site. The
list is the one publicsuffixlist ships (no download at run time).
"""

from __future__ import annotations

import ipaddress
import re
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
    if host.isascii() and "xn--" not in host:
        return _psl_for_plain_host(host).privatesuffix(host) or host
    return _psl_for(host.rsplit(".", 1)[-1]).privatesuffix(host) or host


@lru_cache(maxsize=1024)
def _psl_for_plain_host(host: str):
    """A PublicSuffixList of the only rules the library can look up for this ASCII host.

    PublicSuffixList.privatesuffix() asks whether s, "!" + s and "*." + s are rules,
    for each suffix s of the host's labels, and nothing else; a list of the rules among
    those answers as the whole list does. Building one of the ~1,200 rules ending in
    "com" took ~10 ms of review_bundle. (An IDN host also matches rules by their
    punycode: _psl_for answers those.)
    """
    from publicsuffixlist import PublicSuffixList

    labels = host.split(".")
    suffixes = [".".join(labels[i:]) for i in range(len(labels))]
    rules = sorted(key for s in suffixes for key in (s, "!" + s, "*." + s) if _listed(key))
    return PublicSuffixList(source="\n".join(rules))


def _listed(rule: str) -> bool:
    """Whether some line of the list is this rule, as the library reads a line."""
    text = _list_text()
    at = text.find("\n" + rule)
    while at >= 0:
        end = text.find("\n", at + 1)
        line = text[at + 1:] if end < 0 else text[at + 1:end]
        if line.lower().split(" ")[0].rstrip() == rule:
            return True
        at = text.find("\n" + rule, at + 1)
    return False


@lru_cache(maxsize=256)
def _psl_for(tld: str):
    """The Public Suffix List's rules for one top-level label, as a PublicSuffixList.

    Only rules ending in a host's own top-level label can match it, so a list of those
    answers exactly as the whole list does (tests/review/test_dataflow_sites.py checks
    this), and builds in microseconds where the whole list takes ~0.1 s.
    """
    from publicsuffixlist import PublicSuffixList

    lines = _rules_ending_in(tld)
    if tld.startswith("xn--"):
        try:
            lines = lines + _rules_ending_in(tld.encode("ascii").decode("idna"))
        except UnicodeError:
            pass
    return PublicSuffixList(source="\n".join(lines))


def _rules_ending_in(tld: str) -> list[str]:
    """The list's rules whose last label is `tld`, in the list's order.

    A search for the label itself, not a dict of every rule by its last label: a
    one-bundle review asks for a handful of labels, and sorting all ~10,000 rules
    cost ~20 ms of review_bundle's start (bench/review_bundle_vs_eslint.py). A rule
    is a line's first word; tests/review/test_dataflow_sites.py checks every label
    against that reading of the whole list.
    """
    text = _list_text()
    rules = []
    for hit in re.finditer(re.escape(tld) + r"(?=\s|$)", text):
        rule = text[text.rfind("\n", 0, hit.start()) + 1: hit.end()].strip()
        if (rule and not rule.startswith("//") and len(rule.split()) == 1
                and rule.rsplit(".", 1)[-1].lstrip("!*").lower() == tld):
            rules.append(rule)
    return rules


@lru_cache(maxsize=1)
def _list_text() -> str:
    """The bundled list (read once per process), after a newline: every line follows one."""
    from publicsuffixlist import PSLFILE

    with open(PSLFILE, encoding="utf-8") as source:
        return "\n" + source.read()


S3_HOST = re.compile(r"^s3([.-][a-z0-9-]+)?\.amazonaws\.com$")


def site_of_url(url: str) -> str | None:
    """The site a URL's request goes to: its host's site, and for a path-style S3 URL
    (`s3.<region>.amazonaws.com/<bucket>/...`) `<bucket>@<host>`, two buckets two sites."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if not host:
        return None
    return site_of_request(host, parts.path)


def site_of_request(host: str, path: str) -> str:
    """The site of a request to `host` (host[:port]) with `path` (see site_of_url)."""
    bare = host.lower().rstrip(".").rsplit(":", 1)[0] if host.count(":") == 1 else host.lower().rstrip(".")
    if S3_HOST.match(bare):
        bucket = path.lstrip("/").split("/", 1)[0]
        if bucket:
            return f"{bucket}@{bare}"
    return site_of(host)
