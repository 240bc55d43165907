"""data-exfiltration, credential-spread, data-forwarding, credential-logging
(bundle-format.md, "Data flow").

All read the DataFlow that review/engine/dataflow.py builds once per review
(ctx.data_flow) by comparing each run with its variants. Messages name what went where
by field and site, and how it was seen, never the value itself.
"""

from review.engine.account_secrets import Secret
from review.engine.dataflow import query_followed_as_received, request_texts
from review.engine.registry import Hit, rule

WHERE = {"host": "in the host name", "path": "in the path", "query": "in the URL's query", "body": "in the body",
         "method": "in the method", "count": "in the number of requests",
         "timing": "in the DOMO.sleep timing between requests"}
CARRIES_DATA = ("query", "body")  # and every header: where forwarding is sending, not following


def _where(part: str) -> str:
    if part.startswith("header "):
        return f"in the {part[len('header '):]} header"
    return WHERE[part]


def _places(parts) -> str:
    return " and ".join(_where(p) for p in parts)


def _to(change) -> str:
    """"GET to api.example.com (site example.com)", or "3 GET requests to ..."."""
    request = change.first
    host = request.host if request else change.site
    count = len(change.requests)
    method = request.method if request else "requests"
    sent = f"{count} {method} requests" if count > 1 else method
    return f"{sent} to {host or 'an unparsable URL'} (site {change.site})"


def _secret_names(flow) -> str:
    labels = [Secret(name).label for name in flow.secret_fields]
    return " and ".join(labels) if labels else "the account's secrets"


def secret_sent(flow, change) -> str:
    """What of the secrets went into the change: the known form where it is seen, else
    that a value changes with them."""
    seen = flow.fields_seen(change)
    if seen:
        said = []
        for name in seen:
            parts = [part for part in change.parts
                     if any(form in text for request in change.requests for p, text in request_texts(request) if p == part
                            for form in flow.secret_forms[name])]
            said.append(f"{Secret(name).label} {_places(parts or change.parts)}")
        return "; ".join(said)
    return f"a value that changes with {_secret_names(flow)} {_places(change.parts)}"


def data_from(flow, source: str) -> str:
    hosts = sorted(flow.site_hosts_answered.get(source) or {source})
    return "data received from " + ", ".join(hosts)


@rule("data-exfiltration", phase="security", severity="error", stage="runtime",
      hint="Send the credentials and the data only to the API's own sites. A host listed in Hosts that only "
           "receives, and never supplies data, is not the API's: declaring it does not make it one.")
def data_exfiltration(ctx):
    flow = ctx.data_flow  # built by run_review before the runtime rules run
    for run in flow.lost:
        yield Hit(run.file, None, None,
                  f"The {run.label} sent more than the review can follow (over 2,000 requests or 4 MiB in a run), so where "
                  "its credentials and data went cannot be checked; the review fails closed.")
    # One finding per run and sink: what it received from the secrets and from each source.
    grouped: dict[tuple, list] = {}
    for change in flow.secret_changes:
        if change.site not in flow.sources:
            grouped.setdefault((id(change.run), change.site), [change, []])[1].append(secret_sent(flow, change))
    for source, change in flow.data_changes:
        if change.site not in flow.sources:
            grouped.setdefault((id(change.run), change.site), [change, []])[1].append(
                f"{data_from(flow, source)} {_places(change.parts)}")
    for change, whats in grouped.values():
        first = change.first
        yield Hit(change.run.file, first.line if first else None, first.column if first else None,
                  f"The {change.run.label} sent {'; and '.join(whats)} of {_to(change)}, which supplied no data "
                  "to the connector.")


@rule("credential-spread", phase="security", severity="error", stage="runtime",
      hint="Send the credentials only to the site that checks them. An engineer may waive this for a site "
           "of the API's own vendor; the waiver covers that site only.")
def credential_spread(ctx):
    flow = ctx.data_flow  # built by run_review before the runtime rules run
    if not flow.homes:
        return
    homes = ", ".join(sorted(flow.homes))
    seen = set()
    for change in flow.secret_changes:
        if change.site in flow.homes or change.site in seen:
            continue
        seen.add(change.site)
        first = change.first
        yield Hit(change.run.file, first.line if first else None, first.column if first else None,
                  f"The {change.run.label} sent {secret_sent(flow, change)} of {_to(change)}: the secret's home "
                  f"is {homes}, and site {change.site} is another site.")


@rule("data-forwarding", phase="security", severity="warning", stage="runtime",
      hint="Data one API returned goes to another API's query, headers or body here: check that the second "
           "API is meant to receive it. Following a link exactly as received is not forwarding.")
def data_forwarding(ctx):
    flow = ctx.data_flow  # built by run_review before the runtime rules run
    seen = set()
    for source, change in flow.data_changes:
        if change.site not in flow.sources or change.site == source:
            continue  # a sink: data-exfiltration reports it
        parts = [p for p in change.parts if p.startswith("header ") or p in CARRIES_DATA]
        if "query" in parts and all(query_followed_as_received(a, b, flow.bodies)
                                    for a, b in zip(change.requests, change.theirs)):
            parts.remove("query")  # a link followed as it was received
        key = (change.run.file, source, change.site)
        if not parts or key in seen:
            continue
        seen.add(key)
        first = change.first
        yield Hit(change.run.file, first.line if first else None, first.column if first else None,
                  f"The {change.run.label} sent {data_from(flow, source)} {_places(parts)} of {_to(change)}.")


@rule("credential-logging", phase="security", severity="error", stage="runtime",
      hint="Log that a value is present, never the value itself (nor anything computed from it).")
def credential_logging(ctx):
    flow = ctx.data_flow  # built by run_review before the runtime rules run
    for run in flow.logged_secrets:
        masked = any("****" in str(line) for line in run.record.get("log_lines") or [])
        how = "a known form of it is masked (****) in the lines shown" if masked else \
            "no known form of it is in them, but they change with it"
        yield Hit(run.file, None, None,
                  f"The {run.label}'s DOMO.log lines depend on {_secret_names(flow)}: {how}.")
