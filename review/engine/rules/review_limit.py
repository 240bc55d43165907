"""review-limit: the bundle's content exceeds a bound of the review's own checks.

The limits are collected by run_review (review/engine/review.py) and the data-flow pass
(DataFlow.limits); this rule only reports them, once each, after every other rule ran.
"""

from review.engine.registry import Hit, rule


@rule("review-limit", phase="automated", severity="error", stage="runtime",
      hint="Keep the samples and scripts within the review's limits: "
           "smaller bodies, shallower nesting, fewer values sent back.")
def review_limit(ctx):
    flow_limits = getattr(ctx.data_flow, "limits", None) or []
    seen = set()
    for limit in [*ctx.limits, *flow_limits]:
        if limit.message not in seen:
            seen.add(limit.message)
            yield Hit(limit.file, None, None, limit.message)
