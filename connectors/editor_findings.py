"""What the last review found, for the editor: the findings at their lines and the
engineers' notes, so "Changes requested" says what to fix where the code is edited.

The findings live in the review app, which connectors never imports: review registers
its reader here when it starts (review.apps), and the editor asks through this module.
Without a registered reader (connectors on its own) the editor simply shows none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from connectors.models import ReviewState, Submission

# A review that ended without approval is the one whose findings say what to change.
SHOWN_AFTER = (ReviewState.CHANGES_REQUESTED, ReviewState.WITHDRAWN)


@dataclass(frozen=True)
class EditorFinding:
    severity: str
    rule: str
    message: str
    hint: str = ""
    file: str = ""
    line: int | None = None
    column: int | None = None
    phase: str = ""


@dataclass(frozen=True)
class ReviewFeedback:
    submission: Submission
    findings: list[EditorFinding] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (phase label, the engineer's note)


_reader: Callable[[Submission], ReviewFeedback] | None = None


def register_reader(reader: Callable[[Submission], ReviewFeedback]) -> None:
    global _reader
    _reader = reader


def review_feedback(submission: Submission | None) -> ReviewFeedback | None:
    if submission is None or submission.state not in SHOWN_AFTER or _reader is None:
        return None
    feedback = _reader(submission)
    return feedback if feedback.findings or feedback.notes else None
