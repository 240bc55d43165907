"""Rules over the sandbox runs (stage "runtime"): what happened when the scripts ran."""

from review.engine.registry import Hit, rule
from review.engine.wall_clock import wall_seconds


@rule("timeout", phase="automated", severity="error", stage="runtime",
      hint="Make the script finish within the limit with the samples (no endless loops).")
def timeout(ctx):
    budget = ctx.config.review_cpu_seconds
    for run in ctx.runs:
        if run.status == "timeout" and run.cpu_limit <= 0:
            yield Hit(run.file, None, None,
                      f"The {run.label} did not start: the runs before it used all of the review's "
                      f"{budget:g} s of CPU time.")
        elif run.status == "timeout":
            share = "" if run.cpu_limit >= ctx.config.cpu_seconds else \
                f" (what was left of the review's {budget:g} s for all its runs)"
            yield Hit(run.file, None, None,
                      f"The {run.label} passed its CPU-time limit of {run.cpu_limit:g} s{share}.")
        elif run.status == "wall-timeout":
            yield Hit(run.file, None, None,
                      f"The {run.label} waited without computing past the wall-clock bound of "
                      f"{wall_seconds(ctx.config.cpu_seconds):g} s.")


@rule("memory-limit", phase="automated", severity="error", stage="runtime",
      hint="Process the data page by page instead of holding it all in memory.")
def memory_limit(ctx):
    for run in ctx.runs:
        if run.status == "memory-limit":
            yield Hit(run.file, None, None,
                      f"The {run.label} passed its memory limit of {ctx.config.heap_mb} MiB (heap and array buffers).")


@rule("runtime-error", phase="automated", severity="error", stage="runtime",
      hint="Fix the error at this line; the run used the bundle's sample responses.")
def runtime_error(ctx):
    for run in ctx.runs:
        error = run.error
        if error:
            yield Hit(run.file, error.get("line"), error.get("column"),
                      f"The {run.label} threw {error.get('name')}: {error.get('message')}")
        elif run.status.startswith(("crashed", "error")):
            yield Hit(run.file, None, None, f"The {run.label} could not finish: {run.status}")


@rule("auth-result-missing", phase="automated", severity="error", stage="runtime",
      hint="End the script with auth.authenticationSuccess() or auth.authenticationFailed(message).")
def auth_result_missing(ctx):
    for run in ctx.runs:
        if run.role == "authentication" and run.status == "ok" and not run.error and not run.record.get("auth"):
            yield Hit(run.file, None, None,
                      "The authentication script ended without calling auth.authenticationSuccess() "
                      "or auth.authenticationFailed().")


@rule("row-shape", phase="automated", severity="error", stage="runtime",
      hint="Add exactly one cell per column, in order, before each endRow().")
def row_shape(ctx):
    for run in ctx.runs:
        shape = run.record.get("row_shape") or {}
        examples = shape.get("examples") or []
        if shape.get("count") and examples:
            first = examples[0]
            more = f" ({shape['count']} problems in all)" if shape["count"] > 1 else ""
            yield Hit(run.file, first.get("line"), first.get("column"),
                      f"In the {run.label}: {first['message']}{more}.", hint=_row_shape_hint(first["message"]))


def _row_shape_hint(message: str) -> str | None:
    # A date in the wrong format is not a cell too many or too few: "Add exactly one cell
    # per column" sent a developer looking for a missing cell (issue 20, item 12).
    if " column " in message and " is not yyyy-MM-dd" in message:
        return ("Write the value in the format the column's type asks for: yyyy-MM-dd for a date, "
                "yyyy-MM-dd'T'HH:mm:ss for a datetime (DOMO.getStartDate() gives yyyy-MM-dd).")
    return None  # the rule's own hint


@rule("no-rows", phase="automated", severity="warning", stage="runtime",
      hint="Add sample responses that make the report produce rows.")
def no_rows(ctx):
    for run in ctx.runs:
        if run.report is not None and run.rows == 0:
            yield Hit(run.file, None, None, f"Report {run.report} produced no rows with the samples.")


@rule("unmatched-request", phase="automated", severity="warning", stage="runtime",
      hint='Add a response for this request under "responses" in the editor\'s Samples box.')
def unmatched_request(ctx):
    for run in ctx.runs:
        seen = set()
        for request in run.requests:
            key = (request["method"], request["url"])
            if request["declared"] and not request["matched"] and key not in seen:
                seen.add(key)
                yield Hit(run.file, request.get("line"), request.get("column"),
                          f"In the {run.label}, {request['method']} {request['url'][:160]} had no sample "
                          "response (it got 404 and an empty body).")
