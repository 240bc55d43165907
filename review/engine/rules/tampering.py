"""sandbox-tampering: the script replaced or redefined what the review sandbox provides or relies on.

The runtime (sandbox_js/) records an attempt to assign, redefine or delete a
member of httprequest, datagrid, DOMO, auth or discovery, with its line, and after the
run the built-ins a recorder would rely on that the script replaced (JSON.stringify,
JSON.parse, Function.prototype.call/apply/bind, Object.defineProperty, ...), a toJSON
defined on Object.prototype, Array.prototype or a primitive's prototype, and getters or
setters added to Object.prototype or Array.prototype. Adding a missing method (a
polyfill) is not tampering.
"""

from review.engine.registry import Hit, rule
from review.engine.variants import SECRETS, SITE_PREFIX

MAX_NAMED = 5


@rule("sandbox-tampering", phase="security", severity="error", stage="runtime",
      hint="Leave the sandbox's objects and the built-ins they rely on as they are; "
           "polyfill only what is missing.")
def sandbox_tampering(ctx):
    yield from _undecided(ctx)
    for run in ctx.runs:
        lost = run.record.get("lost_requests")
        if isinstance(lost, int) and lost > 0:
            yield Hit(run.file, None, None,
                      f"The {run.label} sent more requests to undeclared hosts than the review keeps; "
                      f"{lost:,} of them could not be judged, so the run fails closed.",
                      hint="Send requests only to the connector's hosts.")
        entries = [e for e in run.record.get("tampering") or [] if isinstance(e, dict) and e.get("what")]
        if not entries:
            continue
        named = [str(e["what"]) for e in entries[:MAX_NAMED]]
        more = f" and {len(entries) - MAX_NAMED} more" if len(entries) > MAX_NAMED else ""
        placed = next((e for e in entries if e.get("line")), entries[0])
        yield Hit(run.file, placed.get("line"), placed.get("column"),
                  f"The {run.label} {', '.join(named)}{more}: a connector may not change what the "
                  "review sandbox provides or relies on to record what it does.")


def _undecided(ctx):
    """A variant that did not finish where the sample run did: the data flow cannot be
    decided (bundle-format.md, "Data flow"), and the review fails closed."""
    flow = ctx.data_flow
    for run, name in flow.undecided if flow is not None else ():
        variant = run.variants[name]
        changed = "the account's secrets changed" if name == SECRETS else \
            f"the responses of site {name[len(SITE_PREFIX):]} perturbed"
        status = {"timeout": "passed its CPU-time limit", "wall-timeout": "passed the wall-clock bound",
                  "memory-limit": "ran out of memory"}.get(variant.status, "was cut off")
        if variant.status == "timeout" and variant.cpu_limit <= 0:
            status = "could not start within the review's CPU budget"
        yield Hit(run.file, None, None,
                  f"The data flow of the {run.label} could not be decided: run again with {changed}, it {status} "
                  "where the run with the samples did not; the review fails closed.",
                  hint="Make every run finish the same way whatever the account's secrets and the sample "
                       "responses hold.")
