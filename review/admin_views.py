"""The engineers' submission page in the admin: what it shows and the actions it posts.

review/admin.py wires these into SubmissionAdmin; every view here is reached through
admin_site.admin_view plus the review-engineer check, and every state change goes
through a service (connectors.services, review.services).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django_fsm import can_proceed, has_transition_perm
from pygments.formatters import HtmlFormatter

from connectors import code_viewer
from connectors import services as connector_services
from connectors.bundle.types import DEFAULT_SCRIPTS
from portal.errors import PortalError
from connectors.models import ReviewState, Submission
from review import services as review_services
from review.limits import RECORDS_PER_5_MIN_REQUIRED
from review.models import HUMAN_PHASES, Phase, PhaseStatus

CODE_CSS_SCOPE = ".review-code"

# --- the code, with each finding at its line ---------------------------------------


def code_anchor(path: str) -> str:
    return "code-" + re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")


@dataclass
class CodeLine:
    number: int
    html: str
    findings: list = field(default_factory=list)


@dataclass
class ScriptView:
    path: str
    anchor: str
    lines: list[CodeLine]
    # Findings about the file as a whole, or at a line the snapshot does not have.
    file_findings: list = field(default_factory=list)


def _script_order(path: str):
    main = list(DEFAULT_SCRIPTS.values())
    return (main.index(path) if path in main else len(main), path)


def script_views(submission: Submission, findings) -> list[ScriptView]:
    by_file = defaultdict(list)
    for finding in findings:
        by_file[finding.file].append(finding)
    scripts = submission.scripts or {}
    views = []
    for path in sorted(scripts, key=_script_order):
        anchor = code_anchor(path)
        # The developers' code viewer highlights the same snapshot and caches it by content hash.
        highlighted = code_viewer.cached_lines(submission.content_hash, path, scripts[path])
        lines = [CodeLine(number, mark_safe(html)) for number, html in enumerate(highlighted, 1)]
        view = ScriptView(path, anchor, lines)
        for finding in by_file.get(path, []):
            if finding.line and finding.line <= len(lines):
                lines[finding.line - 1].findings.append(finding)
                # The phase lists link here; _code.html names each line's row "<anchor>-<n>".
                finding.link = f"#{anchor}-{finding.line}"
            else:
                view.file_findings.append(finding)
        views.append(view)
    return views


@functools.cache
def code_css() -> str:
    # The same Pygments style as the developers' viewer, scoped to the admin's table.
    return HtmlFormatter(style=code_viewer.STYLE).get_style_defs(CODE_CSS_SCOPE)


# --- the whole page ---------------------------------------------------------------------


def review_page_context(request, submission: Submission) -> dict:
    """Expects the phases prefetched with findings and engineer (SubmissionAdmin.review_object)."""
    phases = list(submission.phases.all())
    findings = [finding for row in phases for finding in row.findings.all()]
    automated = next((row for row in phases if row.phase == Phase.AUTOMATED), None)
    declared_hosts = (submission.manifest or {}).get("hosts", [])
    observed = (automated.details or {}).get("requests", []) if automated else []
    performance = next((row for row in phases if row.phase == Phase.PERFORMANCE), None)
    scripts = script_views(submission, findings)
    return {
        "submission": submission,
        "manifest": submission.manifest or {},
        "phases": phases,
        "scripts": scripts,
        "code_css": mark_safe(code_css()),
        "declared_hosts": declared_hosts,
        "observed_requests": observed,
        "undeclared_requests": sum(1 for r in observed if not r.get("declared")),
        "performance_floor": RECORDS_PER_5_MIN_REQUIRED,
        "performance_rows": (performance.details or {}).get("performance", []) if performance else [],
        "history": submission.events.select_related("actor"),
        "instructions_reads": submission.instructions_reads.all()[:10],
        "actions": available_actions(submission, phases, request.user),
    }


def available_actions(submission: Submission, phases, user) -> dict:
    """Only the transitions allowed right now; the page shows a button for each."""
    return {
        "sign_off": [
            row
            for row in phases
            if row.phase in HUMAN_PHASES
            and submission.state == ReviewState.IN_REVIEW
            and row.status == PhaseStatus.NEEDS_REVIEW
        ],
        "approve": can_proceed(submission.approve)
        and has_transition_perm(submission.approve, user)
        and review_services.all_phases_passed(submission),
        "request_changes": can_proceed(submission.request_changes)
        and has_transition_perm(submission.request_changes, user),
    }


# --- reading the Additional Instructions ---------------------------------------------------


def instructions_view(model_admin, request, submission: Submission):
    instructions = review_services.submission_read_instructions(submission=submission, user=request.user)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "submission": submission,
        "instructions": instructions,
        "title": f"Additional Instructions: {submission}",
        "back_url": _change_url(model_admin, submission),
    }
    # admin_site.admin_view marks the answer never_cache (no-store), so no copy stays in a cache.
    return TemplateResponse(request, "admin/review/submission/instructions.html", context)


# --- actions ---------------------------------------------------------------------------------


def _change_url(model_admin, submission) -> str:
    opts = model_admin.opts
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[submission.pk])


def _run(model_admin, request, submission, done: str, action) -> object:
    try:
        action()
    except PortalError as refused:
        model_admin.message_user(request, refused.message, messages.ERROR)
    else:
        model_admin.message_user(request, done, messages.SUCCESS)
    return redirect(_change_url(model_admin, submission))


def sign_off_view(model_admin, request, submission: Submission, phase: str):
    passed = request.POST.get("decision") == "pass"
    note = request.POST.get("note", "")
    label = dict(Phase.choices).get(phase, phase)
    return _run(
        model_admin,
        request,
        submission,
        f"{label} {'passed' if passed else 'failed'} for {submission}.",
        lambda: review_services.phase_sign_off(
            submission=submission, phase=phase, engineer=request.user, passed=passed, note=note
        ),
    )


def approve_view(model_admin, request, submission: Submission):
    note = request.POST.get("note", "").strip()
    return _run(
        model_admin,
        request,
        submission,
        f"Approved {submission}.",
        lambda: review_services.submission_approve(submission=submission, engineer=request.user, note=note),
    )


def request_changes_view(model_admin, request, submission: Submission):
    note = request.POST.get("note", "").strip()

    return _run(
        model_admin,
        request,
        submission,
        f"Requested changes on {submission}.",
        lambda: connector_services.submission_request_changes(submission=submission, user=request.user, note=note),
    )
