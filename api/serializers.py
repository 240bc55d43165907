"""The JSON shapes the API answers with, and its error bodies.

Every error is {"error": message, "field": name-or-null}, sometimes with more keys
that help a pipeline act on it (the completeness list, where in a bundle).
"""

from __future__ import annotations

from dataclasses import asdict

from django.conf import settings
from django.db.models import F
from django.http import JsonResponse
from django.urls import reverse

from connectors import standard_reasons
from connectors.bundle.import_notes import grouped
from connectors.errors import IncompleteConnector, InvalidBundle, SelfPublishRefused
from connectors.models import BetaState, Connector, Submission
from portal.errors import PortalError
from review.models import Phase, PhaseStatus
from review.pages.summary import review_summary

FINDING_FIELDS = ("rule", "severity", "phase", "file", "line", "column", "message", "hint")


class ApiError(PortalError):
    """A request the API itself refuses (bad JSON, missing upload) before any service runs."""

    def __init__(self, message: str, field: str | None = None, status: int = 400):
        super().__init__(message)
        self.field = field
        self.status = status


def error_response(message: str, status: int, field: str | None = None, **extra) -> JsonResponse:
    return JsonResponse({"error": message, "field": field, **extra}, status=status)


def portal_error_response(error: PortalError) -> JsonResponse:
    extra = {}
    field = getattr(error, "field", None)
    if isinstance(error, IncompleteConnector):
        extra["missing"] = [asdict(part) for part in error.missing]
    elif isinstance(error, InvalidBundle):
        field = "bundle"
        extra["file"] = error.file
        extra["json_path"] = error.json_path
    elif isinstance(error, SelfPublishRefused):
        extra["reasons"] = error.reasons
    return error_response(error.message, error.status, field, **extra)


def connector_json(connector: Connector, missing) -> dict:
    data = {"id": connector.pk, "name": connector.name, "missing": [asdict(part) for part in missing]}
    notes = getattr(connector, "import_notes", None)
    if notes:  # only after uploading a Dev Studio export: what the conversion dropped or guessed
        data["import_notes"] = list(notes)
        # The same notes by group, as the web page shows them (connectors/bundle/import_notes.py).
        data["import_summary"] = {group: [note.text for note in members]
                                  for group, _title, members in grouped(connector.grouped_import_notes)}
    return data


def _iso(value):
    return value.isoformat() if value else None


def beta_url(submission: Submission) -> str | None:
    if submission.beta_state != BetaState.ACTIVE or not submission.beta_token:
        return None
    return settings.SITE_URL.rstrip("/") + reverse("submissions:beta", kwargs={"token": submission.beta_token})


def finding_json(finding) -> dict:
    data = {name: getattr(finding, name) for name in FINDING_FIELDS}
    # review_bundle's JSON says null, not "", when a finding is not about one file.
    data["file"] = data["file"] or None
    # An engineer's waiver: the finding stands but does not fail the review.
    data["waived"] = finding.waiver.as_json() if finding.waiver_id else None
    return data


def _carried_json(carried) -> dict:
    return {"from_number": carried.from_number, "signed_by": carried.signed_by, "signed_on": carried.signed_on}


def submission_json(submission: Submission) -> dict:
    """The submission with its review as review.pages.summary reads it."""
    summary = {phase.phase: phase for phase in review_summary(submission).phases}
    phases = []
    for name in Phase.values:
        phase = summary.get(name)
        phases.append(
            {
                "phase": name,
                # A phase the pipeline has not created yet is simply waiting.
                "status": phase.status if phase else PhaseStatus.PENDING.value,
                "findings": [finding_json(f) for f in phase.findings] if phase else [],
                # An engineer's sign-off kept from the approved version with the same code.
                "carried_over": _carried_json(phase.carried_over) if phase and phase.carried_over else None,
            }
        )
    return {
        "id": submission.pk,
        "connector": submission.connector_id,
        "number": submission.number,
        "visibility": submission.visibility,
        "state": submission.state,
        "release_notes": submission.release_notes,
        "beta_state": submission.beta_state,
        "beta_url": beta_url(submission),
        "beta_expires_at": _iso(submission.beta_expires_at),
        "due_date": _iso(submission.due_at),
        "phases": phases,
        # Issue 21: the standard reasons of the decision that put it where it is, and its contest.
        "reasons": decision_reasons(submission),
        "contest": contest_json(submission.contests.select_related("answer").first()),
    }


def decision_reasons(submission: Submission) -> list[dict]:
    """The standard reasons (connectors.standard_reasons) of the move into the current state, if any."""
    move = submission.events.filter(field="state", target=submission.state).exclude(source=F("target")).last()
    return [{"id": r.id, "title": r.title, "text": r.text, "url": settings.SITE_URL.rstrip("/") + r.url}
            for r in standard_reasons.described(move.reasons if move else [])]


def contest_json(contest) -> dict | None:
    """The submission's newest contest (review.contests): open while `outcome` is null."""
    if contest is None:
        return None
    return {"decision": contest.decision, "opened_at": _iso(contest.opened_at), "outcome": contest.outcome or None,
            "answer": contest.answer.body if contest.answer else None, "closed_at": _iso(contest.closed_at)}
