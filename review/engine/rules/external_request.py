"""external-request: a request to a host outside the manifest's `hosts`.

Static half: a URL given to httprequest.get/post/put whose start is constant.
Runtime half: every request the sandbox saw going to an undeclared host.
"""

from review.engine.registry import Hit, rule
from review.engine.scripts import NOT_CONSTANT, fold_prefix, fold_string
from review.engine.url_parsing import authority_is_complete, host_is_declared, url_host

REQUEST_METHODS = {"httprequest.get", "httprequest.post", "httprequest.put"}
HINT = "Add the host to the connector's hosts if it is the API's, or remove the call."


@rule("external-request", phase="automated", severity="error", stage="static", hint=HINT)
def external_request_in_code(ctx):
    for script in ctx.parsed_scripts():
        for call in script.calls():
            if call.callee not in REQUEST_METHODS or not call.args:
                continue
            url = call.args[0]
            prefix = fold_prefix(script, url)
            # 'https://api.' + region is not a host yet: judge only a finished authority.
            if not prefix or fold_string(script, url) is NOT_CONSTANT and not authority_is_complete(prefix):
                continue
            host = url_host(prefix)
            if host and not host_is_declared(prefix, ctx.hosts):
                line, column = script.place(call.node)
                yield Hit(script.path, line, column, f"A request to {host}, which is not among the connector's hosts.")


@rule("external-request", phase="automated", severity="error", stage="runtime", hint=HINT)
def external_request_observed(ctx):
    for run in ctx.runs:
        seen = set()
        for request in run.requests:
            if request["declared"] or (request["host"], request.get("line")) in seen:
                continue
            seen.add((request["host"], request.get("line")))
            yield Hit(run.file, request.get("line"), request.get("column"),
                      f"The {run.label} sent {request['method']} {request['url'][:120]} to "
                      f"{request['host'] or 'an unparsable URL'}, which is not among the connector's hosts; "
                      "it got no data.")
