"""The JSON shapes the API answers with, and its error bodies.

Every error is {"error": message, "field": name-or-null}, sometimes with more keys
that help a pipeline act on it (the completeness list, where in a bundle).
"""

from __future__ import annotations

from dataclasses import asdict

from django.conf import settings
from django.http import JsonResponse
from django.urls import reverse

from connectors.errors import IncompleteConnector, InvalidBundle, SelfPublishRefused
from connectors.models import BetaState, Connector, Submission
from portal.errors import PortalError
from review.models import Phase, PhaseStatus
from review.summary import review_summary

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


def submission_json(submission: Submission) -> dict:
    """The submission with its review as review.summary reads it."""
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
            }
        )
    return {
        "id": submission.pk,
        "connector": submission.connector_id,
        "number": submission.number,
        "visibility": submission.visibility,
        "state": submission.state,
        "beta_state": submission.beta_state,
        "beta_url": beta_url(submission),
        "beta_expires_at": _iso(submission.beta_expires_at),
        "due_date": _iso(submission.due_at),
        "phases": phases,
    }
