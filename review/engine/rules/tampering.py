"""sandbox-tampering: the script replaced or redefined what the review sandbox provides or relies on.

The runtime (sandbox_runtime.js) records an attempt to assign, redefine or delete a
member of httprequest, datagrid, DOMO, auth or discovery, with its line, and after the
run the built-ins a recorder would rely on that the script replaced (JSON.stringify,
JSON.parse, Function.prototype.call/apply/bind, Object.defineProperty, ...), a toJSON
defined on Object.prototype, Array.prototype or a primitive's prototype, and getters or
setters added to Object.prototype or Array.prototype. Adding a missing method (a
polyfill) is not tampering.
"""

from review.engine.registry import Hit, rule

MAX_NAMED = 5


@rule("sandbox-tampering", phase="security", severity="error", stage="runtime",
      hint="Leave the sandbox's objects and the built-ins they rely on as they are; "
           "polyfill only what is missing.")
def sandbox_tampering(ctx):
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
