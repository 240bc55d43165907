"""Reads of the review that are not one submission's summary (review.summary):
a connector's waivers, and the version a new one is compared with.

Callers pass objects they already fetched through a tenant-scoped selector
(connectors.selectors) or the admin's queryset, so these need no user.
"""

from __future__ import annotations

from django.db.models import QuerySet

from connectors.models import ReviewState, Submission
from review.models import Waiver


def waivers_for_connector(connector_id: int) -> QuerySet[Waiver]:
    return Waiver.objects.filter(connector_id=connector_id).order_by("-granted_at", "-pk")


def last_approved_before(submission: Submission) -> Submission | None:
    """The newest approved version of the same connector older than `submission`: what the diff is against."""
    if submission.number <= 1:
        return None  # numbers start at 1, so a first version has nothing older: no query
    # Callers read its number, hash and scripts; the zip (up to 20 MiB, read on its own
    # when a diff is built) and the encrypted instructions would be loaded on every poll.
    return (Submission.objects.filter(connector_id=submission.connector_id, number__lt=submission.number,
                                      state=ReviewState.APPROVED)
            .defer("bundle", "instructions").order_by("-number").first())
