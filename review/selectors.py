"""Reads of the review: phases with their findings, and what the developer is told.

Callers pass a submission they already fetched through a tenant-scoped selector
(connectors.selectors), so these need no user.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from connectors.models import Submission
from review.models import Finding, PhaseStatus, ReviewPhase

DEVELOPER_STATUS = {
    # The developer is told "checks delayed" for our machinery's trouble, never why.
    PhaseStatus.ERROR: "Checks delayed",
}


def phases_for_submission(submission: Submission) -> QuerySet[ReviewPhase]:
    """The four phase rows in review order, each with its findings (two queries)."""
    return submission.phases.select_related("engineer").prefetch_related(
        Prefetch("findings", queryset=Finding.objects.order_by("file", "line", "column", "pk"))
    )


def checks_delayed(submission: Submission) -> bool:
    return submission.phases.filter(status=PhaseStatus.ERROR).exists()


def phase_status_for_developer(phase: ReviewPhase) -> str:
    return DEVELOPER_STATUS.get(phase.status, phase.get_status_display())


def error_findings(submission: Submission) -> QuerySet[Finding]:
    return submission.findings.filter(severity="error").order_by("phase", "file", "line", "pk")
