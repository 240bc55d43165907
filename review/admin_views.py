"""The engineers' submission page in the admin: what it shows and the actions it posts.

review/admin.py wires these into SubmissionAdmin; every view here is reached through
admin_site.admin_view plus the review-engineer check, and every state change goes
through a service (connectors.services, review.services).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django_fsm import can_proceed, has_transition_perm

from connectors import services as connector_services
from connectors.bundle.types import DEFAULT_SCRIPTS
from connectors.models import ReviewState, Submission
from portal.errors import PortalError
from review import admin_changes
from review import services as review_services
from review.code_viewer import render_script
from review.conversation import message_post, messages_for
from review.models import Phase, PhaseStatus
from review.summary import review_summary

# --- the whole page ---------------------------------------------------------------------


def _script_order(path: str):
    main = list(DEFAULT_SCRIPTS.values())
    return (main.index(path) if path in main else len(main), path)


def review_page_context(request, submission: Submission) -> dict:
    summary = review_summary(submission)
    findings = summary.findings
    scripts = [render_script(submission, path, findings) for path in sorted(submission.scripts or {}, key=_script_order)]
    return {
        "submission": submission,
        "manifest": submission.manifest or {},
        "summary": summary,
        "scripts": scripts,
        "history": submission.events.select_related("actor"),
        "instructions_reads": submission.instructions_reads.all()[:10],
        "actions": available_actions(submission, summary, request.user),
        **admin_changes.changes_context(request, submission, findings),
        "diff_split": request.GET.get("diff") == "split",
        "conversation": messages_for(submission),
    }


def available_actions(submission: Submission, summary, user) -> dict:
    """Only the transitions allowed right now; the page shows a button for each."""
    return {
        "sign_off": [
            phase.row
            for phase in summary.phases
            if phase.is_human and submission.state == ReviewState.IN_REVIEW and phase.status == PhaseStatus.NEEDS_REVIEW
        ],
        "approve": can_proceed(submission.approve)
        and has_transition_perm(submission.approve, user)
        and summary.all_passed,
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


def ask_view(model_admin, request, submission: Submission):
    """A question for the developers: emailed to them, answered in their status window."""
    body = request.POST.get("body", "")
    return _run(
        model_admin,
        request,
        submission,
        f"Your question was sent to {submission.connector.company.name}.",
        lambda: message_post(submission=submission, user=request.user, body=body),
    )
