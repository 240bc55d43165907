"""The fair queue's cap: how many reviews one user, and one company, may have queued or running.

A slow or hostile submission holds a review worker for up to the review's time budget;
without a cap one developer could fill the queue and make everyone else wait. The cap
is checked under row locks on the user and the company (in that order, always), so
simultaneous submits of one user queue behind each other and each counts the others'
rows: twenty at once cannot all pass.

Which submissions still have machine work queued or running is the review's knowledge
(its phases), and connectors never imports review: review registers the reader here
when it starts (review.apps). Without it, a submission counts until its review starts.
"""

from __future__ import annotations

from typing import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from connectors.models import Company, ReviewState, Submission
from portal.errors import PortalError


class ReviewsBusy(PortalError):
    """Too many reviews of this user (or company) are queued or running: wait for one to finish."""

    status = 429  # the API answers Too Many Requests

    def __init__(self, *, whose: str, running: int, limit: int):
        self.whose, self.running, self.limit = whose, running, limit
        super().__init__(
            f"{running} review{'s' if running != 1 else ''} of {whose} {'are' if running != 1 else 'is'} queued or "
            f"running, and at most {limit} may be at once. Wait for one to finish (the status window shows "
            "when), then try again."
        )


def _not_started(submissions: QuerySet) -> QuerySet:
    return submissions.filter(state=ReviewState.SUBMITTED)


_active: Callable[[QuerySet], QuerySet] = _not_started


def register_active_reviews(narrow: Callable[[QuerySet], QuerySet]) -> None:
    """`narrow(submissions)`: those whose machine review is still queued or running."""
    global _active
    _active = narrow


def active_reviews(submissions: QuerySet | None = None) -> QuerySet:
    return _active(Submission.objects.all() if submissions is None else submissions)


def user_limit() -> int:
    return int(getattr(settings, "REVIEW_QUEUE_PER_USER", 2))


def company_limit() -> int:
    return int(getattr(settings, "REVIEW_QUEUE_PER_COMPANY", 5))


def ensure_review_capacity(*, user, company: Company, adding: Submission | None = None) -> None:
    """Raise ReviewsBusy when one more review would pass the user's or the company's cap.

    `adding`: the submission being added, already saved, which is not counted as one of
    the others. Call inside the transaction that adds the review: the locks taken here are
    held until it commits, so the next caller waits for them and then counts this one.
    """
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    Company.objects.select_for_update().filter(pk=company.pk).first()
    others = Submission.objects.exclude(pk=adding.pk) if adding is not None else Submission.objects.all()
    adding = 1
    mine = active_reviews(others.filter(submitted_by=user)).count()
    if mine + adding > user_limit():
        raise ReviewsBusy(whose="yours", running=mine, limit=user_limit())
    ours = active_reviews(others.filter(connector__company=company)).count()
    if ours + adding > company_limit():
        raise ReviewsBusy(whose=f"{company.name}", running=ours, limit=company_limit())
