"""The engineers' submission page, second half: what changed since the last approved
version, and the waivers of the connector (grant from a finding, list, revoke).

review/admin.py wires the two actions in; like every action of that page they are
POSTs reached only by review engineers, and they call the services in review.waivers.
"""

from __future__ import annotations

from datetime import date

from django.db.models import F
from django.shortcuts import get_object_or_404
from django.urls import reverse

from connectors.models import Submission
from portal.errors import PortalError
from review import waivers as waiver_services
from review.admin import claim_views
from review.models import Finding, Waiver
from review.pages.changes import mark_finding_origins, submission_changes
from review.selectors import last_approved_before, last_sent_back_before, waivers_for_connector


def changes_context(request, submission: Submission, findings) -> dict:
    """The diff (None without an approved version), each finding's origin, and the waivers.

    Each finding no waiver covers gets `waive_url`: the shared findings partial shows a
    Waive form only where that is set, which is on this page alone.
    """
    approved = last_approved_before(submission)
    # Findings' origins stay against the approved version: what was already accepted.
    mark_finding_origins(submission, findings, approved)
    for finding in findings:
        if not finding.waiver_id:
            finding.waive_url = reverse("admin:connectors_submission_waive", args=[submission.pk, finding.pk])
    # The diff: against the version the last review sent back (did the developer change
    # what was asked?) when there is one newer than the approved one, else the approved one.
    sent_back = last_sent_back_before(submission)
    if sent_back and approved and sent_back.number < approved.number:
        sent_back = None
    bases = {"reviewed": sent_back, "approved": approved}
    against = request.GET.get("against")
    if bases.get(against) is None:
        against = "reviewed" if sent_back else "approved"
    base = bases[against]
    return {
        "base": base,
        "against": against,
        "base_label": "changes requested" if against == "reviewed" else "approved",
        # The other version to compare with, offered as a link beside the heading.
        "other_bases": [(name, version) for name, version in bases.items() if version and name != against],
        "changes": submission_changes(submission, base) if base else None,
        # Only the granting version's number: its row holds the snapshot zip and the instructions.
        "waivers": list(waivers_for_connector(submission.connector_id).annotate(granted_on_number=F("granted_on__number"))),
    }


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
    return claim_views.guarded(
        model_admin, request, submission, anchor="#waivers",
        action=lambda: waiver_services.waiver_grant(
            finding=finding, engineer=request.user, reason=request.POST.get("reason", ""),
            expires_on=_expiry(request.POST.get("expires_on", "")),
        ),
        what=f"waive {finding.rule}",
        done=lambda waiver: f"Waived {waiver.rule} in {waiver.file or 'the connector'} {waiver.until_label}.",
    )


def revoke_waiver_view(model_admin, request, submission: Submission, waiver_id: int):
    waiver = get_object_or_404(Waiver, pk=waiver_id, connector_id=submission.connector_id)
    return claim_views.guarded(
        model_admin, request, submission, anchor="#waivers",
        action=lambda: waiver_services.waiver_revoke(waiver=waiver, engineer=request.user),
        what=f"revoke the waiver of {waiver.rule}",
        done=f"Revoked the waiver of {waiver.rule}; later reviews report it again.",
    )
