"""The review's own bounds on bundle content (bundle-format.md, "The review's limits").

Every Python pass over what a bundle holds (sample bodies, received values, what the
runs sent) is linear or capped by a number here, and loops over content also check a
CPU-time deadline. Content past a bound raises ReviewLimit, which the review reports as
the `review-limit` finding: the bundle fails, saying which bound and where. It is never
our failure (exit 3, a retry, a hand-off to an engineer): that would let content turn a
certain rejection into a human's judgement.
"""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import accumulate

MAX_SAMPLE_DEPTH = 512  # nesting of a JSON sample body the review reads values from
CHECK_EVERY = 4096  # loop iterations between two looks at the clock


class ReviewLimit(Exception):
    """Content past a bound: `bound` says which (in words, with its number), `where` the place."""

    def __init__(self, bound: str, where: str = "", file: str | None = None) -> None:
        self.bound, self.where, self.file = bound, where, file
        super().__init__(f"{bound} ({where})" if where else bound)

    @property
    def message(self) -> str:
        place = f" in {self.where}" if self.where else ""
        return f"The review stopped reading{place}: {self.bound}. Make this content smaller or simpler."


_deadline: ContextVar[float | None] = ContextVar("review_deadline", default=None)
_budget: ContextVar[float] = ContextVar("review_budget", default=0.0)


@contextmanager
def deadline(cpu_seconds: float | None):
    """Let content loops inside run for `cpu_seconds` of this process's CPU time (None: no
    deadline, for passes bounded by construction)."""
    token = _deadline.set(None if cpu_seconds is None else time.process_time() + cpu_seconds)
    budget = _budget.set(cpu_seconds or 0.0)
    try:
        yield
    finally:
        _deadline.reset(token)
        _budget.reset(budget)


def renewed():
    """The current budget again, from now: for a bounded second pass after the first ran out."""
    return deadline(_budget.get() if _deadline.get() is not None else None)


def check(where: str, file: str | None = None) -> None:
    """Raise ReviewLimit when the deadline (if any) has passed."""
    end = _deadline.get()
    if end is not None and time.process_time() > end:
        raise ReviewLimit(f"past the review's CPU time for reading bundle content ({_budget.get():g} s)", where, file)


def sample_limits(samples: list[dict], bodies: list[str]) -> list[ReviewLimit]:
    """The JSON samples nested past what the review reads: its variants change such a body
    as text instead of parsing it (review/engine/variants.py), so the data flow through it
    is not judged in full, and the bundle fails saying which sample."""
    found = []
    for i, (sample, body) in enumerate(zip(samples, bodies)):
        if body.lstrip()[:1] in ("{", "[") and (depth := json_depth(body)) > MAX_SAMPLE_DEPTH:
            where = f"samples.responses[{i}]" + (f" ({sample['body_file']})" if isinstance(sample, dict)
                                                 and sample.get("body_file") else "")
            found.append(ReviewLimit(f"JSON nested {depth:,} levels deep, more than the review reads "
                                     f"({MAX_SAMPLE_DEPTH:,})", where))
    return found


def json_depth(text: str) -> int:
    """How deeply `text`'s brackets nest outside strings: linear, no recursion.

    Read before json.loads, whose recursion a deep enough body turns into RecursionError.
    """
    brackets = _NOT_A_BRACKET.sub("", _STRING.sub("", text))
    if not brackets:
        return 0
    return max(0, max(accumulate(map(_STEP.__getitem__, brackets))))  # no Python frame a character


# A JSON string: no alternative can match the same text two ways, so nothing backtracks.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
