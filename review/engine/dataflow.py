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

import json
from dataclasses import dataclass, field

from review.engine.account_secrets import secret_values
from review.engine.sandbox import sample_bodies
from review.engine.sites import site_of
from review.engine.values import KEY, values_of, variants

MIN_DATA_LENGTH = 6  # received data: strings of 6 characters or more
MAX_HOST_CHARS = 255  # what a message or the sites table shows of a host (DNS allows 253)
MAX_SITES = 100  # rows of the sites table; a run that contacts more is listed in part
ROWS_EVIDENCE = 3  # distinct short values that show a site's responses reached the rows


@dataclass
class Hit:
    """One value found in one request."""

    kind: str  # "secret" or "data"
    what: str  # the secret's field, or the received token
    part: str  # "url", "query", "header <name>" or "body"
    suppliers: frozenset = frozenset()  # data: the sites that had answered with it
    hosts: frozenset = frozenset()  # data: the hosts of those sites that answered with it


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
        rows = [SiteSummary(site, sorted(e["hosts"])[:20], site in self.sources, sorted(e["credentials"]),
                            sorted(e["data_from"])[:20])
                for site, e in sorted(by_site.items(), key=lambda item: (item[0] not in self.sources, item[0]))]
        # The sites that took something without supplying data are kept first when cut.
        rows.sort(key=lambda r: not (not r.supplied_data and (r.credentials or r.data_from)))
        return rows[:MAX_SITES]


class _Index:
    """Every followed value, keyed by its first KEY characters.

    Scanning a text is then one dictionary look-up per character of it, whatever the
    number of values followed: linear in what the run sent.
    """

    def __init__(self) -> None:
        self.by_key: dict[str, list[tuple[str, str, str]]] = {}

    def add(self, value: str, kind: str, what: str) -> None:
        if len(value) >= KEY:
            self.by_key.setdefault(value[:KEY], []).append((value, kind, what))

    def scan(self, text: str):
        """(kind, what, value) of every followed value found in text."""
        get = self.by_key.get
        for i in range(len(text) - KEY + 1):
            candidates = get(text[i : i + KEY])
            if candidates:
                for value, kind, what in candidates:
                    if text.startswith(value, i):
                        yield kind, what, value

    def link_at_start(self, url: str) -> str | None:
        """The longest received URL the request URL starts with: a link being followed."""
        best = None
        for value, kind, _ in self.by_key.get(url[:KEY], ()):
            if kind == "data" and value.startswith(("http://", "https://")) and url.startswith(value):
                if best is None or len(value) > len(best):
                    best = value
        return best


def follow(bundle, runs, scripts) -> DataFlow:
    """Follow the secrets and the received data through every run's requests."""
    manifest = bundle.manifest
    bodies = sample_bodies(bundle)
    known = _known_text(manifest, scripts)
    flows, lost = _within_budget(runs)
    values = _Values(bodies)
    # What a run received after its last request can reach its rows, never a request.
    before_a_request = sorted({e["sample"] for _, flow in flows for e in flow[:-1]
                               if isinstance(e.get("sample"), int) and 0 <= e["sample"] < len(bodies)})

    # Only a received value that occurs somewhere in what the runs sent can be a hit: a
    # first pass over all of it keeps the index to those (a few, where thousands came in).
    decoded = _Decoded()
    sent_text = "\0".join({v: None for _, flow in flows for e in flow for _, text in _parts(e) for v in decoded(text)})
    prefilter = len(sent_text) <= PREFILTER_MAX_CHARS
    token_samples: dict[str, set[int]] = {}  # received data (6+ characters) -> the samples with it
    # A value's first characters must be a window of the sent text: a hash look-up each,
    # then a real search for the few that pass.
    windows = {sent_text[i : i + MIN_DATA_LENGTH] for i in range(len(sent_text))} if prefilter else None
    for i in before_a_request:
        found = [v for v in values[i] if len(v) >= MIN_DATA_LENGTH]
        if prefilter:
            found = [v for v in found if v[:MIN_DATA_LENGTH] in windows and v in sent_text]
        for value in found:
            token_samples.setdefault(value, set()).add(i)
    index = _Index()
    for name, value in secret_values(manifest).items():
        index.add(value, "secret", name)
    for token in token_samples:
        index.add(token, "data", token)

    site_cache: dict[str, str] = {}

    def site(host: str) -> str:
        if host not in site_cache:
            site_cache[host] = site_of(host)
        return site_cache[host]

    sent, sources = [], set()
    for run, flow in flows:
        served: dict[int, dict[str, set[str]]] = {}  # sample -> site -> hosts it answered, so far in this run
        for entry in flow:
            host = str(entry.get("host") or "")[:MAX_HOST_CHARS]
            request = Sent(run, str(entry.get("method")), entry["url"], host, site(host), bool(entry.get("declared")),
                           entry.get("line"), entry.get("column"))
            for hit in _hits(entry, index, known, token_samples, served, decoded):
                request.hits.append(hit)
                if hit.kind == "data":
                    sources.update(hit.suppliers)  # its data reached a later request
            sent.append(request)
            if isinstance(entry.get("sample"), int) and 0 <= entry["sample"] < len(bodies):
                served.setdefault(entry["sample"], {}).setdefault(request.site, set()).add(host)
        sources |= _row_sources(run.record.get("cells") or [], values, bodies, served, known, sources)
    return DataFlow(sent, sources, lost)


PREFILTER_MAX_CHARS = 64 * 1024  # past this much sent text, indexing every value is cheaper than `in`


class _Decoded:
    """variants() of each distinct sent text, once: headers repeat on every request."""

    def __init__(self) -> None:
        self.memo: dict[str, list[str]] = {}

    def __call__(self, text: str) -> list[str]:
        if text not in self.memo:
            self.memo[text] = variants(text)
        return self.memo[text]


class _Values:
    """Each sample's values, parsed when first asked for (an honest run asks for few)."""

    def __init__(self, bodies: list[str]) -> None:
        self.bodies = bodies
        self.parsed: dict[int, set[str]] = {}

    def __getitem__(self, sample: int) -> set[str]:
        if sample not in self.parsed:
            self.parsed[sample] = values_of(self.bodies[sample])
        return self.parsed[sample]


MAX_FOLLOWED_CHARS = 8 * 1024 * 1024  # what one review follows in all; ~1 s a MiB on a busy machine


def _within_budget(runs) -> tuple[list, list]:
    """(run, its flow) for the runs followed, and the runs that cannot be judged whole:
    those whose record was cut, and those past the review's budget (fail closed)."""
    flows, lost, total = [], [], 0
    for run in runs:
        flow = _flow(run)
        total += sum(len(e["url"]) + len(str(e.get("body") or "")) + len(str(e.get("headers") or "")) for e in flow)
        if run.record.get("flow_lost") or total > MAX_FOLLOWED_CHARS:
            lost.append(run)
        if total <= MAX_FOLLOWED_CHARS:
            flows.append((run, flow))
    return flows, lost


def _row_sources(cells, values, bodies, served, known, already) -> set[str]:
    """The sites whose responses reached this run's rows.

    Received data (6+ characters) in a cell is enough. Shorter values (ids like "r12",
    amounts, codes) count too, but only when a site supplied at least ROWS_EVIDENCE
    distinct ones the script did not know: an API of short values is still the rows'
    source, while a collector answering {"status": "ok"} does not become one. Sites
    already known as sources are not asked again, so an honest run usually stops at
    its first cell.
    """
    by_site: dict[str, list[int]] = {}
    for sample, sites in served.items():
        for site in sites:
            by_site.setdefault(site, []).append(sample)
    open_sites = {site: samples for site, samples in by_site.items() if site not in already}
    counts: dict[str, int] = {}
    found = set()
    for cell in cells:
        if not open_sites:
            break
        if not isinstance(cell, str):
            continue
        for site, samples in list(open_sites.items()):
            if any(cell in values[sample] for sample in samples) and cell not in known:
                counts[site] = counts.get(site, 0) + 1
                if len(cell) >= MIN_DATA_LENGTH or counts[site] >= ROWS_EVIDENCE:
                    found.add(site)
                    del open_sites[site]
    return found


def _parts(entry) -> list[tuple[str, str]]:
    """(part, text) of what one request sent: its URL, each header, its body."""
    parts = [("url", entry["url"])]
    headers = entry.get("headers") if isinstance(entry.get("headers"), dict) else {}
    # The name too: a header named after a secret carries it as well as its value does.
    parts += [(f"header {name}", f"{name}: {value}") for name, value in headers.items()]
    if isinstance(entry.get("body"), str):
        parts.append(("body", entry["body"]))
    return parts


def _flow(run) -> list[dict]:
    return [e for e in run.record.get("flow") or [] if isinstance(e, dict) and isinstance(e.get("url"), str)]


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


def _hits(entry, index, known, token_samples, served, decoded):
    """What one request carried: secrets anywhere, received data anywhere but in a link
    followed as it was received."""
    url = entry["url"]
    found = []
    # A link followed exactly as it was received (an export's download URL, a next page)
    # is not sending data: only what the script added after it is looked at.
    link = index.link_at_start(url)
    if link is not None:
        suppliers = _suppliers(link, token_samples, served)
        if suppliers and link not in known:
            found.append(Hit("data", link, "link", suppliers, _supplier_hosts(link, token_samples, served)))
            url = url[len(link):]
        else:
            link = None
    query_at = url.find("?")
    in_query = link is not None and "?" in link
    if query_at >= 0:
        parts = [("url", url[:query_at]), ("query", url[query_at:])]
    else:
        parts = [("query" if in_query else "url", url)]
    parts += _parts(entry)[1:]
    seen = set()
    for part, text in parts:
        for variant in decoded(text) if text else ():
            for kind, what, _ in index.scan(variant):
                suppliers = frozenset()
                if kind == "data":
                    suppliers = _suppliers(what, token_samples, served)
                    if not suppliers or what in known:
                        continue  # not received (yet) by this run, or the script knew it anyway
                if (kind, what, part) not in seen:
                    seen.add((kind, what, part))
                    hosts = _supplier_hosts(what, token_samples, served) if kind == "data" else frozenset()
                    found.append(Hit(kind, what, part, suppliers, hosts))
    return found


def _suppliers(token, token_samples, served) -> frozenset:
    return frozenset(site for sample in token_samples.get(token, ()) for site in served.get(sample, ()))


def _supplier_hosts(token, token_samples, served) -> frozenset:
    return frozenset(host for sample in token_samples.get(token, ())
                     for hosts in served.get(sample, {}).values() for host in hosts)
