"""The review queue's computed columns (SubmissionAdmin.list_display): contested, phases, due, age."""

from __future__ import annotations

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from connectors.models import OPEN_STATES
from review.models import Phase, PhaseStatus

PHASE_SHORT = {"automated": "Auto", "security": "Sec", "performance": "Perf", "code_review": "Code"}
STATUS_MARK = {
    PhaseStatus.PENDING: "·",
    PhaseStatus.RUNNING: "…",
    PhaseStatus.PASSED: "✓",
    PhaseStatus.FAILED: "✗",
    PhaseStatus.NEEDS_REVIEW: "?",
    PhaseStatus.ERROR: "!",
}
EMPTY = "-"  # the admin's empty_value_display


def _phase_badge(phase: str, status: str) -> str:
    return (f'<span class="phase phase-{escape(status)}" title="{escape(Phase(phase).label)}: '
            f'{escape(PhaseStatus(status).label)}">{escape(PHASE_SHORT[phase])} {escape(STATUS_MARK[status])}</span>')


# Four phases times six statuses: every badge the queue can show, escaped once.
_BADGES = {(phase, status): _phase_badge(phase, status) for phase in PHASE_SHORT for status in PhaseStatus.values}


def phase_summary(submission) -> str:
    # The queue prefetches the phases in their order (SubmissionAdmin.get_queryset).
    return mark_safe(" ".join(_BADGES[(row.phase, row.status)] for row in submission.phases.all()))


def due(submission, now=None) -> str:
    # An ended review is due no more: its date only made a finished row look late.
    if submission.due_at is None or submission.state not in OPEN_STATES:
        return EMPTY
    day = f"{submission.due_at:%Y-%m-%d}"
    if submission.state in OPEN_STATES and submission.due_at < (now or timezone.now()):
        return mark_safe(f'<strong class="overdue">{day} (overdue)</strong>')
    return day


def age(submission, now=None) -> str:
    # Whole days or hours: timesince's two translated units cost more than the rest of a row.
    if not submission.submitted_at:
        return EMPTY
    delta = (now or timezone.now()) - submission.submitted_at
    if delta.days:
        return f"{delta.days} day{'s' if delta.days != 1 else ''}"
    hours = delta.seconds // 3600
    return f"{hours} hour{'s' if hours != 1 else ''}" if hours else "under an hour"


CONTEST_EXCERPT = 80


def contested(submission) -> str:
    """The developers' text of the open contest (review.contests), cut short; the page has it whole."""
    # SubmissionAdmin.get_queryset annotates the open contest's text as contest_text.
    body = getattr(submission, "contest_text", None)
    if not body:
        return EMPTY
    short = body if len(body) <= CONTEST_EXCERPT else body[: CONTEST_EXCERPT - 1] + "…"
    return mark_safe(f'<strong class="contested">Contested</strong>: <span title="{escape(body)}">{escape(short)}</span>')
