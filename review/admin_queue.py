"""The review queue's rows, rendered in one pass.

Django's `result_list` goes through `lookup_field`, `display_for_field`, `format_html`
and a `reverse()` for every cell: about a third of the queue page's time at 50 rows.
These rows are the same HTML (tests/review/test_admin_queue_rows.py compares them cell
by cell with Django's), built with one `reverse()` per page and dict lookups for labels.
"""

from __future__ import annotations

from django.contrib.admin.templatetags.admin_list import result_headers
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from connectors.models import OPEN_STATES, BetaState, ReviewState, Visibility
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
_STATE = {value: escape(label) for value, label in ReviewState.choices}
_VISIBILITY = {value: escape(label) for value, label in Visibility.choices}
_BETA = {value: escape(label) for value, label in BetaState.choices}


def _phase_badge(phase: str, status: str) -> str:
    return (f'<span class="phase phase-{escape(status)}" title="{escape(Phase(phase).label)}: '
            f'{escape(PhaseStatus(status).label)}">{escape(PHASE_SHORT[phase])} {escape(STATUS_MARK[status])}</span>')


# Four phases times six statuses: every badge the queue can show, escaped once.
_BADGES = {(phase, status): _phase_badge(phase, status) for phase in PHASE_SHORT for status in PhaseStatus.values}


def phase_summary(submission) -> str:
    # The queue attaches (phase, status) pairs (QueueChangeList.get_results); elsewhere, the phases.
    pairs = getattr(submission, "queue_phases", None)
    if pairs is None:
        pairs = [(row.phase, row.status) for row in submission.phases.order_by("position")]
    return mark_safe(" ".join(_BADGES[pair] for pair in pairs))


def due(submission, now=None) -> str:
    if submission.due_at is None:
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


def _cell(value) -> str:
    # What display_for_value does for the method columns: safe strings as they are, the rest escaped.
    return value if hasattr(value, "__html__") else escape(value)


def queue_rows(cl) -> list[list[str]]:
    """Cells of SubmissionAdmin.list_display for every row on the page, as Django would render them."""
    opts = cl.opts
    # One reverse() and one preserved-filters merge for the page; each row swaps in its pk.
    marker = "0"
    template = add_preserved_filters(
        {"preserved_filters": cl.preserved_filters, "opts": opts},
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[marker], current_app=cl.model_admin.admin_site.name),
    )
    head, _, tail = template.partition(f"/{marker}/change/")
    now = timezone.now()
    rows = []
    for obj in cl.result_list:
        url = escape(f"{head}/{quote(obj.pk)}/change/{tail}")
        connector = obj.connector
        rows.append([
            mark_safe(f'<th class="field-submission"><a href="{url}">{escape(f"{obj.name} v{obj.number}")}</a></th>'),
            mark_safe(f'<td class="field-company">{escape(connector.company.name)}</td>'),
            mark_safe(f'<td class="field-state">{_STATE.get(obj.state, EMPTY)}</td>'),
            mark_safe(f'<td class="field-visibility">{_VISIBILITY.get(obj.visibility, EMPTY)}</td>'),
            mark_safe(f'<td class="field-beta_state">{_BETA.get(obj.beta_state, EMPTY)}</td>'),
            mark_safe(f'<td class="field-phase_summary">{phase_summary(obj)}</td>'),
            mark_safe(f'<td class="field-due">{_cell(due(obj, now))}</td>'),
            mark_safe(f'<td class="field-age">{_cell(age(obj, now))}</td>'),
        ])
    return rows


def queue_result_list(cl) -> dict:
    """The context `admin/change_list_results.html` gets from Django's result_list tag."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": [],
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": queue_rows(cl),
    }
