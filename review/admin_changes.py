"""The engineers' submission page, second half: what changed since the last approved
version, and the waivers of the connector (grant from a finding, list, revoke).

review/admin.py wires the two actions in; like every action of that page they are
POSTs reached only by review engineers, and they call the services in review.waivers.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from connectors.models import Submission
from portal.errors import PortalError
from review import waivers as waiver_services
from review.changes import mark_finding_origins, submission_changes
from review.models import Finding, Waiver
from review.selectors import last_approved_before, waivers_for_connector


def changes_context(request, submission: Submission, findings) -> dict:
    """The diff (None without an approved version), each finding's origin, and the waivers.

    Each finding no waiver covers gets `waive_url`: the shared findings partial shows a
    Waive form only where that is set, which is on this page alone.
    """
    base = last_approved_before(submission)
    mark_finding_origins(submission, findings, base)
    for finding in findings:
        if not finding.waiver_id:
            finding.waive_url = reverse("admin:connectors_submission_waive", args=[submission.pk, finding.pk])
    return {
        "base": base,
        "changes": submission_changes(submission, base) if base else None,
        # Only the granting version's number: its row holds the snapshot zip and the instructions.
        "waivers": list(waivers_for_connector(submission.connector_id).annotate(granted_on_number=F("granted_on__number"))),
    }


def _back(model_admin, submission, anchor: str = "") -> object:
    opts = model_admin.opts
    return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[submission.pk]) + anchor)


def _expiry(value: str) -> date | None:
    value = (value or "").strip()
    if not value:
        return None  # until this code changes
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PortalError(f"The expiry {value[:20]!r} is not a date; write it as YYYY-MM-DD, "
                          "or leave it empty for 'until this code changes'.") from None


def waive_view(model_admin, request, submission: Submission, finding_id: int):
    # Only a finding of this very submission: an id from elsewhere is a 404, not a waiver.
    finding = get_object_or_404(Finding, pk=finding_id, submission=submission)
    try:
        waiver = waiver_services.waiver_grant(
            finding=finding, engineer=request.user, reason=request.POST.get("reason", ""),
            expires_on=_expiry(request.POST.get("expires_on", "")),
        )
    except PortalError as refused:
        model_admin.message_user(request, refused.message, messages.ERROR)
    else:
        model_admin.message_user(request, f"Waived {waiver.rule} in {waiver.file or 'the connector'} "
                                 f"{waiver.until_label}.", messages.SUCCESS)
    return _back(model_admin, submission, "#waivers")


def revoke_waiver_view(model_admin, request, submission: Submission, waiver_id: int):
    waiver = get_object_or_404(Waiver, pk=waiver_id, connector_id=submission.connector_id)
    try:
        waiver_services.waiver_revoke(waiver=waiver, engineer=request.user)
    except PortalError as refused:
        model_admin.message_user(request, refused.message, messages.ERROR)
    else:
        model_admin.message_user(request, f"Revoked the waiver of {waiver.rule}; later reviews report it again.",
                                 messages.SUCCESS)
    return _back(model_admin, submission, "#waivers")
