"""data-exfiltration, credential-spread, data-forwarding (bundle-format.md, "Data flow").

All three read the DataFlow that review/engine/dataflow.py builds once per review
(ctx.data_flow). Messages name what went where by name (the account field, the site
the data came from), never the value itself.
"""

from review.engine.account_secrets import Secret
from review.engine.registry import Hit, rule
from review.engine.sites import site_of

WHERE = {"url": "in the URL", "query": "in the URL's query", "body": "in the body"}


def _where(part: str) -> str:
    if part.startswith("header "):
        return f"in the {part[len('header '):]} header"
    return WHERE[part]


def _what(hit) -> str:
    if hit.kind == "secret":
        return Secret(hit.what).label
    return "data received from " + ", ".join(sorted(hit.hosts or hit.suppliers))


@rule("data-exfiltration", phase="security", severity="error", stage="runtime",
      hint="Send the credentials and the data only to the API's own sites. A host in `hosts` that only "
           "receives, and never supplies data, is not the API's: declaring it does not make it one.")
def data_exfiltration(ctx):
    flow = ctx.data_flow  # built by run_review before the runtime rules run
    for run in flow.lost:
        yield Hit(run.file, None, None,
                  f"The {run.label} sent more than the review can follow (over 2,000 requests or 4 MiB in a run, 8 MiB in all), so where "
                  "its credentials and data went cannot be checked; the review fails closed.")
    grouped = {}  # (file, line, host) -> {what: [where, ...]}, in the order found
    firsts = {}
    for request in flow.sent:
        if request.site in flow.sources:
            continue
        for hit in request.hits:
            if hit.part == "link":
                continue
            key = (request.run.file, request.line, request.host)
            firsts.setdefault(key, request)
            places = grouped.setdefault(key, {}).setdefault(_what(hit), [])
            if _where(hit.part) not in places:
                places.append(_where(hit.part))
    for key, whats in grouped.items():
        request = firsts[key]
        sent = "; ".join(f"{what} {' and '.join(places)}" for what, places in whats.items())
        yield Hit(request.run.file, request.line, request.column,
                  f"The {request.run.label} sent {sent} of {request.method} to {request.host or 'an unparsable URL'} "
                  f"(site {request.site}), which supplied no data to the connector.")


@rule("credential-spread", phase="security", severity="warning", stage="runtime",
      hint="The engineer's Security Test checks that each of these sites belongs to the API; send the "
           "credentials only where the API needs them.")
def credential_spread(ctx):
    flow = ctx.data_flow  # built by run_review before the runtime rules run
    first = {}  # site -> (the first request that took it a secret, the fields it received)
    for request in flow.sent:
        fields = {hit.what for hit in request.hits if hit.kind == "secret"}
        if fields:
            entry = first.setdefault(request.site, [request, set()])
            entry[1].update(fields)
    if len(first) > 1:
        sites = list(first.items())
        second = sites[1][1][0]
        listed = ", ".join(f"{site} ({', '.join(sorted(fields))})" for site, (_, fields) in sites)
        yield Hit(second.run.file, second.line, second.column,
                  f"The account's secret values (metadata.account) reached {len(sites)} sites: {listed}.")


@rule("data-forwarding", phase="security", severity="warning", stage="runtime",
      hint="Data one API returned goes to another API's query or body here: check that the second API is "
           "meant to receive it. Following a link exactly as received is not forwarding.")
def data_forwarding(ctx):
    flow = ctx.data_flow  # built by run_review before the runtime rules run
    seen = set()
    for request in flow.sent:
        if request.site not in flow.sources:
            continue  # a sink: data-exfiltration reports it
        for hit in request.hits:
            others = sorted(s for s in hit.suppliers if s != request.site)
            if hit.kind != "data" or hit.part not in ("query", "body") or not others or request.site in hit.suppliers:
                continue
            key = (request.run.file, request.line, tuple(others), request.site, hit.part)
            if key in seen:
                continue
            seen.add(key)
            hosts = sorted(h for h in hit.hosts if site_of(h) in others) or others
            yield Hit(request.run.file, request.line, request.column,
                      f"The {request.run.label} sent data received from {', '.join(hosts)} {_where(hit.part)} of "
                      f"{request.method} to {request.host} (site {request.site}).")
