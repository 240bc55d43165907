"""Where the credentials and the data went, judged by dependence (bundle-format.md, "Data flow").

Each planned run comes with its variants (review/engine/variants.py): the same run with
every secret replaced by a fresh value, and with one site's sample responses perturbed.
Everything else is the same in all of them (the clock, Math.random, the samples), so:

* what a run sends to a site *depends on the secrets* when it differs between the sample
  run and the secret variant, whatever was done to the secret on the way (pieces,
  reversed, hashed, timing);
* a site is a *source* when perturbing its responses changes what the run produces
  (rows, auth result, discovery, logs, the error and where it stopped) or what it sends
  to another site; the site that answers the authentication check is one too;
* what a run sends to site t *depends on site s's data* when perturbing s changes it.

Value matching is kept only to explain a finding: where a known form of the secret is
seen it is named, otherwise the finding says what changed with which input. A variant
that did not finish where the sample run did leaves the flow undecided (fail closed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from review.engine import review_limit
from review.engine.account_secrets import account_secrets
from review.engine.account_values import run_account, secret_fields
from review.engine.sandbox import auth_check_sites, flow_entries, request_site, sample_bodies
from review.engine.variants import SECRETS, SITE_PREFIX

MAX_HOST_CHARS = 255  # what a message or the sites table shows of a host (DNS allows 253)
MAX_SITES = 100  # rows of the sites table; a run that contacts more is listed in part


@dataclass(frozen=True)
class Request:
    """One request of a run, in the parts the comparison looks at."""

    method: str
    host: str
    path: str
    query: str
    headers: tuple
    body: str | None
    slept: float
    url: str
    line: int | None
    column: int | None

    @classmethod
    def of(cls, entry: dict) -> "Request":
        try:
            parts = urlsplit(entry["url"])
            path, query = parts.path + ("#" + parts.fragment if parts.fragment else ""), parts.query
        except ValueError:
            path, query = entry["url"], ""
        headers = entry.get("headers") if isinstance(entry.get("headers"), dict) else {}
        return cls(str(entry.get("method")), str(entry.get("host") or "")[:MAX_HOST_CHARS], path, query,
                   tuple(sorted((str(k), str(v)) for k, v in headers.items())),
                   entry.get("body") if isinstance(entry.get("body"), str) else None,
                   float(entry.get("slept") or 0), entry["url"], entry.get("line"), entry.get("column"))


@dataclass
class Change:
    """What a changed input changed in what a run sent to one site."""

    run: object  # the sample RunOutcome
    site: str
    parts: list[str]  # "host", "path", "query", "header <name>", "body", "method", "count", "timing"
    requests: list[Request]  # the sample run's requests to the site that differ (or all of them)
    theirs: list = field(default_factory=list)  # the variant's request beside each of those (or None)

    @property
    def first(self) -> Request | None:
        return self.requests[0] if self.requests else None


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
    secret_changes: list[Change] = field(default_factory=list)  # what depends on the secrets, per run and site
    data_changes: list[tuple[str, Change]] = field(default_factory=list)  # (source site, what depends on its data)
    sources: set[str] = field(default_factory=set)
    homes: set[str] = field(default_factory=set)  # the secrets' home sites
    logged_secrets: list = field(default_factory=list)  # runs whose DOMO.log lines depend on the secrets
    undecided: list[tuple[object, str]] = field(default_factory=list)  # (run, variant) that did not finish
    lost: list = field(default_factory=list)  # runs whose flow record was cut: they cannot be judged whole
    hosts: dict[str, set[str]] = field(default_factory=dict)  # site -> hosts the sample runs sent to
    secret_fields: list[str] = field(default_factory=list)
    secret_forms: dict[str, list[str]] = field(default_factory=dict)  # to say where a secret was seen
    bodies: list[str] = field(default_factory=list)
    site_hosts_answered: dict[str, set[str]] = field(default_factory=dict)  # source site -> hosts that answered
    limits: list = field(default_factory=list)  # ReviewLimit: content past a bound of this pass

    def sites(self) -> list[SiteSummary]:
        credentials: dict[str, set[str]] = {}
        data_from: dict[str, set[str]] = {}
        for change in self.secret_changes:
            credentials.setdefault(change.site, set()).update(self.fields_seen(change) or self.secret_fields)
        for source, change in self.data_changes:
            data_from.setdefault(change.site, set()).add(source)
        rows = [SiteSummary(site, sorted(hosts)[:20], site in self.sources, sorted(credentials.get(site, ())),
                            sorted(data_from.get(site, ()))[:20])
                for site, hosts in sorted(self.hosts.items(), key=lambda item: (item[0] not in self.sources, item[0]))]
        # The sites that took something without supplying data are kept first when cut.
        rows.sort(key=lambda r: not (not r.supplied_data and (r.credentials or r.data_from)))
        return rows[:MAX_SITES]

    def fields_seen(self, change: Change) -> list[str]:
        """The secret fields a known form of which is in the changed requests."""
        return [name for name, forms in self.secret_forms.items()
                if any(form in text for request in change.requests for _, text in request_texts(request) for form in forms)]


def follow(bundle, runs, scripts=None) -> DataFlow:
    """Compare every run with its variants and derive sources, sinks, homes and what went where."""
    manifest = bundle.manifest
    account = run_account(manifest)
    flow = DataFlow(secret_fields=secret_fields(manifest), secret_forms=account_secrets(manifest, account),
                    bodies=sample_bodies(bundle))
    flow.sources |= auth_check_sites(runs)
    for run in runs:
        review_limit.check("comparing the runs with their variants", run.file)
        mine = by_site(run)
        for site, requests in mine.items():
            flow.hosts.setdefault(site, set()).update(r.host for r in requests)
        if run.record.get("flow_lost"):
            flow.lost.append(run)
        if not run.finished:
            continue  # its own finding (timeout, memory-limit, crash) says why
        for name, variant in run.variants.items():
            if not variant.finished or (variant.record.get("flow_lost") and not run.record.get("flow_lost")):
                flow.undecided.append((run, name))
        secret = run.variants.get(SECRETS)
        if secret is not None and secret.finished:
            flow.secret_changes += _changes(run, mine, by_site(secret), _stopped_early(run, secret))
            if _digest(run, "logs") != _digest(secret, "logs"):
                flow.logged_secrets.append(run)
        for name, variant in run.variants.items():
            if not name.startswith(SITE_PREFIX) or not variant.finished:
                continue
            source = name[len(SITE_PREFIX):]
            changes = [c for c in _changes(run, mine, by_site(variant), _stopped_early(run, variant)) if c.site != source]
            if changes or _produced(run) != _produced(variant):
                flow.sources.add(source)
            flow.data_changes += [(source, c) for c in changes]
            flow.site_hosts_answered.setdefault(source, set()).update(_hosts_answered(run, source))
    flow.homes = _homes(runs, flow.secret_changes)
    return flow


def by_site(run) -> dict[str, list[Request]]:
    sites: dict[str, list[Request]] = {}
    for entry in flow_entries(run):
        sites.setdefault(request_site(entry), []).append(Request.of(entry))
    return sites


def _stopped_early(run, variant) -> bool:
    """The variant threw where the sample run did not (or elsewhere): the requests it never
    sent are explained by where it stopped, which is itself a change in what it produced."""
    error = variant.record.get("error")
    return bool(error) and error != run.record.get("error")


def _changes(run, mine: dict, theirs: dict, stopped_early: bool = False) -> list[Change]:
    found = []
    for site in list(mine) + [s for s in theirs if s not in mine]:
        parts, pairs = _compare(mine.get(site, []), theirs.get(site, []), stopped_early)
        if parts:
            pairs = pairs or [(r, None) for r in mine.get(site, [])]
            found.append(Change(run, site, parts, [a for a, _ in pairs], [b for _, b in pairs]))
    return found


def _compare(mine: list[Request], theirs: list[Request], stopped_early: bool = False) -> tuple[list[str], list[tuple]]:
    """The parts that differ between two runs' requests to one site, and the pairs (the
    sample run's request, the variant's) that differ."""
    parts: dict[str, None] = {}
    differing = []
    for a, b in zip(mine, theirs):
        review_limit.check("comparing the requests of two runs")
        here = _differences(a, b)
        if here:
            differing.append((a, b))
            parts.update(dict.fromkeys(here))
    if len(mine) != len(theirs) and not (stopped_early and len(theirs) < len(mine)):
        parts["count"] = None
        differing += [(a, None) for a in mine[len(theirs):]]
        # Requests only the variant sent: shown by their place (the sample run sent none).
        differing += [(b, b) for b in theirs[len(mine):]] if not differing else []
    return list(parts), differing


def _differences(a: Request, b: Request) -> list[str]:
    found = [name for name in ("method", "host", "path", "query", "body") if getattr(a, name) != getattr(b, name)]
    if a.headers != b.headers:
        ours, other = dict(a.headers), dict(b.headers)
        found += [f"header {name}" for name in sorted(set(ours) | set(other)) if ours.get(name) != other.get(name)]
    if a.slept != b.slept:
        found.append("timing")
    return found


def _produced(run) -> tuple:
    record = run.record
    error = record.get("error") or {}
    digests = record.get("digests") or {}
    return (digests.get("rows"), digests.get("discovery"), digests.get("logs"), record.get("rows"),
            record.get("auth"), record.get("auth_message"),
            error.get("name"), error.get("message"), error.get("line"), error.get("column"))


def _digest(run, channel: str):
    return (run.record.get("digests") or {}).get(channel)


def _hosts_answered(run, site: str) -> set[str]:
    return {str(e.get("host")) for e in flow_entries(run)
            if request_site(e) == site and isinstance(e.get("sample"), int) and e["sample"] >= 0}


def _homes(runs, changes: list[Change]) -> set[str]:
    """The sites the authentication script sent the secrets to; when it sent them nowhere,
    the site of the first request that depends on them."""
    homes = {c.site for c in changes if c.run.role == "authentication"}
    if homes:
        return homes
    order = {id(run): i for i, run in enumerate(runs)}
    firsts = sorted(changes, key=lambda c: (order.get(id(c.run), 0), min((r.line or 0) for r in c.requests)
                                            if c.requests else 0))
    return {firsts[0].site} if firsts else set()


def request_texts(request: Request) -> list[tuple[str, str]]:
    """(part, text) of what one request sent."""
    texts = [("host", request.host), ("path", request.path), ("query", request.query)]
    texts += [(f"header {name}", f"{name}: {value}") for name, value in request.headers]
    if request.body is not None:
        texts.append(("body", request.body))
    return texts


def query_followed_as_received(mine: Request, theirs: Request | None, bodies: list[str]) -> bool:
    """The request's query came with a link as it was received, and what the script added
    after the link did not change: following a link is not sending data."""
    link = link_as_received(mine, bodies)
    if link is None or theirs is None:
        return False
    # Perturbing keeps lengths, so the variant's link ends where the sample's does.
    return mine.url[len(link):] == theirs.url[len(link):]


def link_as_received(request: Request, bodies: list[str]) -> str | None:
    """The longest start of the request's URL, with its query, that a sample response held
    as it is: a link being followed (what the script added after it is still looked at)."""
    url = request.url
    cuts = [len(url)] + [i for i, c in enumerate(url) if c == "&"]
    for end in sorted(cuts, reverse=True):
        # A long query of many parts against megabytes of samples: bounded by the review's clock.
        review_limit.check("looking for the request's link in the sample responses")
        link = url[:end]
        if "?" in link and any(link in body or link.replace("/", "\\/") in body for body in bodies):
            return link
    return None
