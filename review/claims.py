"""Who has a review, and the guard every engineer's action on the submission page goes through.

Assigning (to oneself or another engineer) and unassigning are history rows (the
"assigned" and "unassigned" milestones of connectors.transitions, no email): the queue
shows the assignee, and the developers' history says someone took the review.

The guard (act) runs the action under the submission's row lock, after two checks made
under that same lock, so two engineers' clicks cannot both pass them:
- the review token the page was drawn with must be sent and still be the review's: an approval
  given on a page that no longer shows the review as it is (another engineer signed
  off, the developer answered, the checks ran again) is refused, never applied;
- a review assigned to another engineer needs a confirmation naming that engineer, so
  a hand-over in between asks again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import transaction

from connectors import services as connector_services
from connectors.models import ReviewState, Submission
from portal.errors import PortalError
from portal.permissions import REVIEW_ENGINEERS_GROUP, user_is_review_engineer

ASSIGNED = "assigned"
UNASSIGNED = "unassigned"
# Who has the review is not the review: a hand-over leaves the token as it was (the
# confirmation covers it), so an engineer's page is not made stale by a claim.
NOT_IN_TOKEN = (ASSIGNED, UNASSIGNED)


class ClaimRefused(PortalError):
    status = 403


class StaleReview(PortalError):
    """The review changed since the page was drawn; nothing was done."""

    status = 409


class ConfirmationNeeded(PortalError):
    """The review is another engineer's: the action waits for a confirmation naming them."""

    status = 409

    def __init__(self, message: str, assignee):
        super().__init__(message)
        self.assignee = assignee


def engineer_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "nobody"


def review_token(submission: Submission) -> str:
    """What the engineer's page shows of the review, in 16 hex digits: its states, its
    snapshot, its last history row (sign-offs, waivers, messages, runs) and its phases."""
    last_event = submission.events.exclude(transition__in=NOT_IN_TOKEN).order_by("-pk").values_list("pk", flat=True).first()
    phases = list(submission.phases.order_by("position").values_list("phase", "status", "engineer_id"))
    seen = f"{submission.state}|{submission.beta_state}|{submission.content_hash}|{last_event}|{phases}"
    return hashlib.sha256(seen.encode()).hexdigest()[:16]


def _locked(submission: Submission) -> Submission:
    return connector_services.lock_version(submission.pk, "assigned_to")


@transaction.atomic
def submission_assign(*, submission: Submission, engineer, assignee=None) -> Submission:
    """`engineer` gives the review to `assignee` (themselves when None): claim or hand over."""
    if not user_is_review_engineer(engineer):
        raise ClaimRefused("Only review engineers take reviews.")
    assignee = assignee or engineer
    if not user_is_review_engineer(assignee) or not assignee.is_active:
        raise ClaimRefused(f"{engineer_name(assignee)} is not a review engineer; a review goes to one of them.")
    submission = _locked(submission)
    if submission.state == ReviewState.DRAFT:
        raise ClaimRefused("A draft has no review to take.")
    if submission.assigned_to_id == assignee.pk:
        raise ClaimRefused(f"{submission} is assigned to {engineer_name(assignee)} already.")
    before = submission.assigned_to
    Submission.objects.filter(pk=submission.pk).update(assigned_to=assignee)
    submission.assigned_to = assignee
    reason = f"Assigned to {engineer_name(assignee)}" + (f" (was {engineer_name(before)})" if before else "") + "."
    connector_services.submission_record_milestone(submission=submission, name=ASSIGNED, actor=engineer, reason=reason)
    return submission


@transaction.atomic
def submission_unassign(*, submission: Submission, engineer) -> Submission:
    """Nobody has the review any more: it is back among the unassigned ones."""
    if not user_is_review_engineer(engineer):
        raise ClaimRefused("Only review engineers take reviews.")
    submission = _locked(submission)
    if submission.assigned_to_id is None:
        raise ClaimRefused(f"{submission} is not assigned to anyone.")
    before = submission.assigned_to
    Submission.objects.filter(pk=submission.pk).update(assigned_to=None)
    submission.assigned_to = None
    connector_services.submission_record_milestone(
        submission=submission, name=UNASSIGNED, actor=engineer, reason=f"Was assigned to {engineer_name(before)}."
    )
    return submission


def engineers():
    """Whom a review can be given to: active review engineers, by name."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    return (users.filter(groups__name=REVIEW_ENGINEERS_GROUP) | users.filter(is_superuser=True)).distinct().order_by("username")


def _latest(submission: Submission) -> str:
    event = submission.events.exclude(transition__in=NOT_IN_TOKEN).select_related("actor").order_by("-pk").first()
    if event is None:
        return ""
    return f"latest: {event.label}{f' by {engineer_name(event.actor)}' if event.actor else ''}; "


def act(
    *,
    submission: Submission,
    engineer,
    action: Callable[[], object],
    token: str | None,
    confirmed_for: str | None,
    check_token: bool = True,
) -> object:
    """Run `action` (a service call) under the review's row lock, once the review is still
    the one the page showed (`token`, required unless check_token is False) and, if another engineer has
    it, the engineer confirmed acting for them (`confirmed_for`: that engineer's id)."""
    with transaction.atomic():
        current = _locked(submission)
        if check_token and not token:
            # A post without the page's token cannot say which review it saw: an old page,
            # a hand-made post, a form drawn without it. Refused like a stale one.
            raise StaleReview(
                f"This page is out of date or incomplete; reload it. Nothing was done on {current}: the form did not "
                f"say which state of the review you saw ({_latest(current)}it is {current.get_state_display().lower()} now)."
            )
        if check_token and token != review_token(current):
            raise StaleReview(
                f"Nothing was done: {current} changed since you opened its page ({_latest(current)}it is "
                f"{current.get_state_display().lower()} now). Read it again below, then decide."
            )
        assignee = current.assigned_to
        if assignee is not None and assignee.pk != engineer.pk and str(assignee.pk) != (confirmed_for or ""):
            raise ConfirmationNeeded(f"{current} is assigned to {engineer_name(assignee)}. Act on it anyway?", assignee)
        return action()
