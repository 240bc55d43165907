"""Reads of the review.

Callers pass a submission they already fetched through a tenant-scoped selector
(connectors.selectors), so these need no user.
"""

from __future__ import annotations

from django.db.models import QuerySet

from connectors.models import Submission
from review.models import Finding, Severity


def error_findings(submission: Submission) -> QuerySet[Finding]:
    """The findings that fail the checks, grouped by phase: the changes-requested note and the email list them."""
    return submission.findings.filter(severity=Severity.ERROR).order_by("phase", "file", "line", "pk")
