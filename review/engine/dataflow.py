"""Where the credentials and the data went (bundle-format.md, "Data flow").

The sandbox records what every request carried (URL, headers, body, which sample
answered it) and the strings that reached the rows. This module follows, by value:

* the sample account's *secret values*, in the forms the contract lists (base64 alone
  and as username:password, URL-encoded, hex);
* the *received data*: strings of 6 characters or more taken from the sample responses
  a run was served, with their URL-encoded and base64 forms;

through every request of every run, and decides which sites are *sources* (their data
reached the rows or a later request, in any run) and which are *sinks*. The three
rules in review/engine/rules/data_flow.py and the "where the data goes" table read the
DataFlow this builds. A host list written by the developer decides nothing here: a
declared host that only receives is a sink like any other.
"""

from __future__ import annotations

import base64
import csv
import io
import ipaddress
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote, quote_plus

MIN_DATA_LENGTH = 6  # received data: strings of 6 characters or more
ROWS_EVIDENCE = 3  # distinct short values that show a site's responses reached the rows
MIN_SECRET_LENGTH = 4  # a shorter sample secret would match everywhere and mean nothing
KEY = 4  # the index is keyed by the first KEY characters of every form
URI_COMPONENT_SAFE = "-_.!~*'()"  # what encodeURIComponent leaves as it is
XML_TEXT = re.compile(r">([^<]+)<|=\s*\"([^\"]*)\"|=\s*'([^']*)'")


@dataclass(frozen=True)
class Secret:
    field: str  # the metadata.account key: "password", "apikey", ...

    @property
    def label(self) -> str:
        return f"the account's {self.field} (metadata.account.{self.field})"


def account_secrets(manifest: dict) -> dict[str, list[str]]:
    """Secret field -> its values in every form the review follows, for this bundle's samples."""
    auth = manifest.get("auth") or {}
    method = auth.get("method")
    account = (manifest.get("samples") or {}).get("account") or {}
    if method == "username_password":
        names = ["password"]
    elif method == "api_key":
        names = ["apikey"]
    elif method == "oauth2":
        names = ["accesstoken"]
    elif method == "custom":
        names = [f.get("key") for f in auth.get("fields") or [] if isinstance(f, dict) and f.get("secret")]
    else:
        names = []
    secrets = {}
    for name in names:
        value = account.get(name)
        if not isinstance(value, str) or len(value) < MIN_SECRET_LENGTH:
            continue
        forms = _encoded_forms(value)
        forms |= {value.encode().hex(), value.encode().hex().upper()}
        if method == "username_password" and isinstance(account.get("username"), str):
            pair = f"{account['username']}:{value}"
            forms.add(_base64(pair))
        secrets[name] = sorted(forms, key=len, reverse=True)
    return secrets


def _base64(text: str) -> str:
    # Without padding: "=" may travel URL-encoded, and the unpadded text is still there.
    return base64.b64encode(text.encode()).decode().rstrip("=")


def _encoded_forms(value: str) -> set[str]:
    return {value, quote(value, safe=URI_COMPONENT_SAFE), quote_plus(value, safe=URI_COMPONENT_SAFE),
            _base64(value)}


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
    return _psl().privatesuffix(host) or host


def warm_up() -> None:
    _psl()


@lru_cache(maxsize=1)
def _psl():
    # Loaded on first use: a review whose runs talk to a single host never needs it.
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


def values_of(body: str) -> set[str]:
    """Every value a response offers, as text: JSON strings and numbers, CSV cells, XML text.

    The ones of 6 characters or more are the received data followed through requests;
    all of them may show that a response reached the rows (see ROWS_EVIDENCE).
    """
    text = body.strip()
    found: set[str] = set()
    if text[:1] in "[{":
        try:
            _json_values(json.loads(text), found)
            return found
        except ValueError:
            pass
    if text[:1] == "<":
        for match in XML_TEXT.finditer(text):
            value = (match.group(1) or match.group(2) or match.group(3) or "").strip()
            if value:
                found.add(value)
        return found
    for row in csv.reader(io.StringIO(text)):
        found.update(cell for cell in row if cell)
    return found


def _json_values(value, found: set[str]) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if item:
                found.add(item)
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, (int, float)):
            found.add(_js_number(item))
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _js_number(n) -> str:
    """The text JavaScript gives a number (String(n)) for the usual cases: 3, 2.5, 1e21."""
    if isinstance(n, float) and n.is_integer() and abs(n) < 1e21:
        return str(int(n))
    return str(n)


@dataclass
class Hit:
    """One value found in one request."""

    kind: str  # "secret" or "data"
    what: str  # the secret's field, or the received token
    part: str  # "url", "query", "header <name>" or "body"
    suppliers: frozenset = frozenset()  # data: the sites that had answered with it


@dataclass
class Sent:
    """A request as the data-flow rules judge it."""

    run: object  # RunOutcome
    method: str
    url: str
    host: str
    site: str
    declared: bool
    line: int | None
    column: int | None
    hits: list[Hit] = field(default_factory=list)


@dataclass
class SiteSummary:
    site: str
    hosts: list[str]
    supplied_data: bool
    credentials: list[str]  # secret fields it received
    data_from: list[str]  # other sites whose data it received

    def to_dict(self) -> dict:
        return {"site": self.site, "hosts": self.hosts, "supplied_data": self.supplied_data,
                "credentials": self.credentials, "data_from": self.data_from}


@dataclass
class DataFlow:
    sent: list[Sent]
    sources: set[str]
    lost: list  # runs whose flow record was cut: they cannot be judged whole

    def sites(self) -> list[SiteSummary]:
        by_site: dict[str, dict] = {}
        for request in self.sent:
            entry = by_site.setdefault(request.site, {"hosts": set(), "credentials": set(), "data_from": set()})
            entry["hosts"].add(request.host)
            for hit in request.hits:
                if hit.kind == "secret":
                    entry["credentials"].add(hit.what)
                elif hit.part != "link":  # following a link is not receiving data
                    entry["data_from"].update(s for s in hit.suppliers if s != request.site)
        return [SiteSummary(site, sorted(e["hosts"]), site in self.sources, sorted(e["credentials"]),
                            sorted(e["data_from"]))
                for site, e in sorted(by_site.items(), key=lambda item: (item[0] not in self.sources, item[0]))]


class _Index:
    """Every form of every followed value, keyed by its first KEY characters.

    Scanning a request is then one dictionary look-up per character of it, whatever
    the number of values followed: linear in what the run sent.
    """

    def __init__(self) -> None:
        self.by_key: dict[str, list[tuple[str, str, str]]] = {}

    def add(self, form: str, kind: str, what: str) -> None:
        if len(form) >= KEY:
            self.by_key.setdefault(form[:KEY], []).append((form, kind, what))

    def scan(self, text: str):
        """(start, end, kind, what) of every form found in text."""
        get = self.by_key.get
        for i in range(len(text) - KEY + 1):
            candidates = get(text[i : i + KEY])
            if candidates:
                for form, kind, what in candidates:
                    if text.startswith(form, i):
                        yield i, i + len(form), kind, what


def follow(bundle, runs, scripts) -> DataFlow:
    """Follow the secrets and the received data through every run's requests."""
    manifest = bundle.manifest
    setup_responses = _sample_bodies(bundle)
    secrets = account_secrets(manifest)
    known = _known_text(manifest, scripts)

    token_samples: dict[str, set[int]] = {}  # received data (6+ characters) -> the samples with it
    value_samples: dict[str, set[int]] = {}  # every value -> the samples with it
    for index in sorted({e["sample"] for run in runs for e in _flow(run) if e.get("sample", -1) >= 0}):
        if 0 <= index < len(setup_responses):
            for value in values_of(setup_responses[index]):
                value_samples.setdefault(value, set()).add(index)
                if len(value) >= MIN_DATA_LENGTH:
                    token_samples.setdefault(value, set()).add(index)
    index = _Index()
    for name, forms in secrets.items():
        for form in forms:
            index.add(form, "secret", name)
    for token in token_samples:
        for form in _encoded_forms(token):
            index.add(form, "data", token)

    site_cache: dict[str, str] = {}

    def site(host: str) -> str:
        if host not in site_cache:
            site_cache[host] = site_of(host)
        return site_cache[host]

    sent, sources, lost = [], set(), []
    for run in runs:
        if run.record.get("flow_lost"):
            lost.append(run)
        served: dict[int, set[str]] = {}  # sample -> the sites it answered for, so far in this run
        for entry in _flow(run):
            request = Sent(run, str(entry.get("method")), str(entry.get("url")), str(entry.get("host") or ""),
                           site(str(entry.get("host") or "")), bool(entry.get("declared")),
                           entry.get("line"), entry.get("column"))
            for hit in _hits(entry, index, known, token_samples, served):
                request.hits.append(hit)
                if hit.kind == "data":
                    sources.update(hit.suppliers)  # its data reached a later request
            sent.append(request)
            if entry.get("sample", -1) >= 0:
                served.setdefault(entry["sample"], set()).add(request.site)
        sources.update(_row_sources(run.record.get("cells") or [], value_samples, served, known))
    return DataFlow(sent, sources, lost)


def _row_sources(cells, value_samples, served, known) -> set[str]:
    """The sites whose responses reached this run's rows.

    Received data (6+ characters) in a cell is enough. Shorter values (ids like "r12",
    amounts, codes) count too, but only when a site supplied at least ROWS_EVIDENCE
    distinct ones the script did not know: an API of short values is still the rows'
    source, while a collector answering {"status": "ok"} does not become one.
    """
    counts: dict[str, int] = {}
    found = set()
    for cell in cells:
        samples = value_samples.get(cell) if isinstance(cell, str) else None
        if not samples or cell in known:
            continue
        sites = {site for sample in samples for site in served.get(sample, ())}
        if len(cell) >= MIN_DATA_LENGTH:
            found |= sites
        for site in sites:
            counts[site] = counts.get(site, 0) + 1
    return found | {site for site, count in counts.items() if count >= ROWS_EVIDENCE}


def _flow(run) -> list[dict]:
    return [e for e in run.record.get("flow") or [] if isinstance(e, dict) and isinstance(e.get("url"), str)]


def _sample_bodies(bundle) -> list[str]:
    bodies = []
    for sample in (bundle.manifest.get("samples") or {}).get("responses") or []:
        if "body_file" in sample:
            bodies.append(bundle.files.get(sample["body_file"], b"").decode("utf-8", "replace"))
        else:
            bodies.append(str(sample.get("body") or ""))
    return bodies


def _known_text(manifest, scripts) -> "_Known":
    """What the scripts knew without receiving it: their source and the values they were given."""
    samples = manifest.get("samples") or {}
    given = [json.dumps(samples.get("account") or {}), json.dumps(samples.get("parameters") or {}),
             json.dumps(manifest.get("reports") or [])]
    return _Known("\n".join([s.text for s in scripts] + given))


class _Known:
    """Whether the scripts knew a string without receiving it, each string asked once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.memo: dict[str, bool] = {}

    def __contains__(self, token: str) -> bool:
        if token not in self.memo:
            self.memo[token] = token in self.text
        return self.memo[token]


def _hits(entry, index, known, token_samples, served):
    """What one request carried: secrets anywhere, received data anywhere but in a link followed as received."""
    url = entry["url"]
    query_at = url.find("?")
    # A link followed exactly as it was received (an export's download URL, a next
    # page) is not sending data: the span of such a link at the start of the URL is left out.
    link_end = 0
    parts = [("url", url)]
    headers = entry.get("headers") if isinstance(entry.get("headers"), dict) else {}
    parts += [(f"header {name}", str(value)) for name, value in headers.items()]
    if isinstance(entry.get("body"), str):
        parts.append(("body", entry["body"]))
    seen = set()
    found = []
    for part, text in parts:
        for start, end, kind, what in index.scan(text):
            suppliers = frozenset()
            if kind == "data":
                suppliers = frozenset(s for sample in token_samples.get(what, ()) for s in served.get(sample, ()))
                if not suppliers or what in known:
                    continue  # not received (yet) by this run, or the script knew it anyway
                if part == "url" and start == 0 and what == url[:end] and what.startswith(("http://", "https://")):
                    link_end = max(link_end, end)
                    found.append(Hit(kind, what, "link", suppliers))
                    continue
                if part == "url" and end <= link_end:
                    continue
            where = part
            if part == "url":
                where = "query" if 0 <= query_at < end else "url"
            key = (kind, what, where)
            if key not in seen:
                seen.add(key)
                found.append(Hit(kind, what, where, suppliers))
    return found
