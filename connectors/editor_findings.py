"""What the last review found, for the editor: the findings at their lines and the
engineers' notes, so "Changes requested" says what to fix where the code is edited.

The findings live in the review app, which connectors never imports: review registers
its reader here when it starts (review.apps), and the editor asks through this module.
Without a registered reader (connectors on its own) the editor simply shows none.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

from connectors.models import ReviewState, Submission
from connectors.standard_reasons import Reason, described

# History rows (connectors.transitions) that carry what an engineer asked of the developer.
REQUESTED = "request_changes"
ASKED = "reviewer_asked"
ANSWERED = "developer_answered"

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
    # The note of "Request changes" (what the developer must read first) and the reviewers'
    # questions nobody has answered yet: both were only in the history at the page's bottom.
    request_note: str = ""
    questions: list[str] = field(default_factory=list)
    # The standard reasons chosen with "Request changes" (connectors.standard_reasons).
    reasons: list[Reason] = field(default_factory=list)

    @property
    def has_engineers_words(self) -> bool:
        return bool(self.request_note or self.questions or self.notes or self.reasons)


_reader: Callable[[Submission], ReviewFeedback] | None = None


def register_reader(reader: Callable[[Submission], ReviewFeedback]) -> None:
    global _reader
    _reader = reader


def engineers_asks(submission: Submission, events=None) -> tuple[str, list[str]]:
    """The last "Request changes" note, and the questions asked after the developer's last
    answer (an answer answers everything asked before it), from the history rows (`events`
    when the caller read them already, in their order)."""
    note, questions = "", []
    if events is None:
        rows = submission.events.filter(transition__in=(REQUESTED, ASKED, ANSWERED)).order_by("created_at", "pk")
        events = rows.values_list("transition", "reason")
    else:
        events = [(e.transition, e.reason) for e in events if e.transition in (REQUESTED, ASKED, ANSWERED)]
    for transition, reason in events:
        if transition == REQUESTED:
            note = reason
        elif transition == ASKED:
            questions.append(reason)
        else:
            questions = []
    return note, questions


def requested_reasons(submission: Submission, events=None) -> list[Reason]:
    """The standard reasons of the last "Request changes" (`events` as in engineers_asks)."""
    if events is None:
        ids = submission.events.filter(transition=REQUESTED).order_by("-created_at", "-pk").values_list(
            "reasons", flat=True).first()
    else:
        ids = next((e.reasons for e in reversed(list(events)) if e.transition == REQUESTED), None)
    return described(ids or [])


def review_feedback(submission: Submission | None) -> ReviewFeedback | None:
    if submission is None or submission.state not in SHOWN_AFTER:
        return None
    feedback = _reader(submission) if _reader is not None else ReviewFeedback(submission=submission)
    note, questions = engineers_asks(submission)
    feedback = replace(feedback, request_note=note, questions=questions, reasons=requested_reasons(submission))
    return feedback if feedback.findings or feedback.has_engineers_words else None
