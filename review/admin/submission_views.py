"""The engineers' submission page in the admin: what it shows and the actions it posts.

review/admin.py wires these into SubmissionAdmin; every view here is reached through
admin_site.admin_view plus the review-engineer check, and every state change goes
through a service (connectors.services, review.services).
"""

from __future__ import annotations

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django_fsm import can_proceed, has_transition_perm

from connectors import selectors as connector_selectors
from connectors import services as connector_services
from connectors import standard_reasons
from connectors.bundle.types import DEFAULT_SCRIPTS
from connectors.models import ReviewState, Submission
from review import services as review_services
from review.admin import changes_views as admin_changes
from review.admin import claim_views
from review.contests import DECISION_WORDS, contest_answer, open_contest
from review.conversation import message_post, messages_for
from review.models import Phase, PhaseStatus
from review.pages.code_viewer import render_script
from review.pages.summary import review_summary

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
        **claim_views.claim_context(request, submission),
        **contest_context(submission),
    }


def contest_context(submission: Submission) -> dict:
    """The open contest an engineer answers, and the standard reasons the two forms offer."""
    contest = open_contest(submission)
    return {
        "open_contest": contest,
        "open_contest_decision": DECISION_WORDS.get(contest.decision, contest.decision) if contest else "",
        "reasons_request_changes": standard_reasons.choices_for(standard_reasons.REQUEST_CHANGES),
        "reasons_take_down": standard_reasons.choices_for(standard_reasons.TAKE_DOWN),
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
        # After approval (connectors.services.listing): this version, or the whole connector.
        "take_down": can_proceed(submission.take_down) and has_transition_perm(submission.take_down, user),
        "relist": can_proceed(submission.relist) and has_transition_perm(submission.relist, user),
        # On an earlier approved version: the newer approved ones it would replace.
        "roll_back_to": connector_selectors.newer_approved_numbers(submission),
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


def sign_off_view(model_admin, request, submission: Submission, phase: str):
    passed = request.POST.get("decision") == "pass"
    note = request.POST.get("note", "")
    label = dict(Phase.choices).get(phase, phase)
    return claim_views.guarded(
        model_admin,
        request,
        submission,
        what=f"{'sign off' if passed else 'fail'} the {label.lower()}",
        done=f"{label} {'passed' if passed else 'failed'} for {submission}.",
        action=lambda: review_services.phase_sign_off(
            submission=submission, phase=phase, engineer=request.user, passed=passed, note=note
        ),
    )


def approve_view(model_admin, request, submission: Submission):
    note = request.POST.get("note", "").strip()
    return claim_views.guarded(
        model_admin,
        request,
        submission,
        what="approve it",
        done=f"Approved {submission}.",
        action=lambda: review_services.submission_approve(submission=submission, engineer=request.user, note=note),
    )


def request_changes_view(model_admin, request, submission: Submission):
    note = request.POST.get("note", "").strip()
    reasons = request.POST.getlist("reasons")
    return claim_views.guarded(
        model_admin,
        request,
        submission,
        what="request changes",
        done=f"Requested changes on {submission}.",
        action=lambda: connector_services.submission_request_changes(
            submission=submission, user=request.user, note=note, reasons=reasons),
    )


def answer_contest_view(model_admin, request, submission: Submission):
    """Close the developers' contest: the decision stands (upheld) or is reversed (review.contests)."""
    outcome = request.POST.get("outcome")
    if outcome not in ("upheld", "reversed"):
        claim_views.refuse(model_admin, request, "Choose whether the decision stands or is reversed.")
        return redirect(_change_url(model_admin, submission))
    body = request.POST.get("body", "")
    done = "The decision stands; the developers were told." if outcome == "upheld" else \
        f"Reversed the contested decision on {submission}; the developers were told."
    # A decision like the others: confirmed on a colleague's review, refused from a stale page.
    return claim_views.guarded(
        model_admin,
        request,
        submission,
        what="answer the contest",
        done=done,
        action=lambda: contest_answer(submission=submission, user=request.user, reverse=outcome == "reversed", body=body),
    )


def ask_view(model_admin, request, submission: Submission):
    """A question for the developers: emailed to them, answered in their status window."""
    body = request.POST.get("body", "")
    # A question decides nothing, so an older page may ask it; only another's claim is confirmed.
    return claim_views.guarded(
        model_admin,
        request,
        submission,
        what="ask the developers",
        done=f"Your question was sent to {submission.connector.company.name}.",
        action=lambda: message_post(submission=submission, user=request.user, body=body),
        check_token=False,
    )


def take_down_view(model_admin, request, submission: Submission):
    """Take down this version, or (scope=connector) every approved version of the connector."""
    reason = request.POST.get("reason", "")
    reasons = request.POST.getlist("reasons")
    # Like the review's decisions, the listing's go through the guard: decided on the
    # version the page showed (its token), confirmed on a colleague's review.
    if request.POST.get("scope") == "connector":
        return claim_views.guarded(
            model_admin, request, submission, what="take down the whole connector",
            done=f"Took down every approved version of {submission.connector.name}.",
            action=lambda: connector_services.connector_take_down(
                connector=submission.connector, user=request.user, reason=reason, reasons=reasons),
        )
    return claim_views.guarded(
        model_admin, request, submission, what="take it down", done=f"Took down {submission}.",
        action=lambda: connector_services.submission_take_down(
            submission=submission, user=request.user, reason=reason, reasons=reasons),
    )


def relist_view(model_admin, request, submission: Submission):
    """Re-list this version, or (scope=connector) every version taken down or unpublished."""
    reason = request.POST.get("reason", "")
    if request.POST.get("scope") == "connector":
        return claim_views.guarded(
            model_admin, request, submission, what="re-list the connector",
            done=f"Re-listed {submission.connector.name}.",
            action=lambda: connector_services.connector_relist(
                connector=submission.connector, user=request.user, reason=reason),
        )
    return claim_views.guarded(
        model_admin, request, submission, what="re-list it", done=f"Re-listed {submission}.",
        action=lambda: connector_services.submission_relist(submission=submission, user=request.user, reason=reason),
    )


def roll_back_view(model_admin, request, submission: Submission):
    """Put this earlier approved version back in use: the newer approved ones are rolled back."""
    reason = request.POST.get("reason", "")
    return claim_views.guarded(
        model_admin, request, submission, what="roll back to it",
        done=f"Rolled back to {submission}: it is the version in use again.",
        action=lambda: connector_services.submission_roll_back_to(submission=submission, user=request.user, reason=reason),
    )
