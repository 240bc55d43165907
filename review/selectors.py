"""Reads of the review that are not one submission's summary (review.pages.summary):
a connector's waivers, and the version a new one is compared with.

Callers pass objects they already fetched through a tenant-scoped selector
(connectors.selectors) or the admin's queryset, so these need no user.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from connectors.models import OPEN_STATES, ReviewState, Submission, SubmissionEvent
from review.models import Phase, PhaseStatus, ReviewPhase, Waiver

# The machine's part is over once the automated phase has a verdict or went to an engineer.
MACHINE_DONE = (PhaseStatus.PASSED, PhaseStatus.FAILED, PhaseStatus.NEEDS_REVIEW)


def machine_work_pending(submissions: QuerySet[Submission]) -> QuerySet[Submission]:
    """Those of `submissions` whose machine review is queued, running or waiting for a retry:
    what the fair queue's cap counts (connectors.review_queue).

    A withdrawn or superseded one still counts while its run is alive: the worker is busy
    with it until the run ends, so resubmitting cannot be used to queue more work.
    """
    done = ReviewPhase.objects.filter(phase=Phase.AUTOMATED, status__in=MACHINE_DONE).values("submission_id")
    live_since = timezone.now() - timedelta(seconds=settings.Q_CLUSTER.get("timeout", 120))
    running = ReviewPhase.objects.filter(phase=Phase.AUTOMATED, status=PhaseStatus.RUNNING,
                                         started_at__gte=live_since).values("submission_id")
    return submissions.filter(Q(state__in=OPEN_STATES) & ~Q(pk__in=done) | Q(pk__in=running))


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


def last_sent_back_before(submission: Submission) -> Submission | None:
    """The newest version older than `submission` that a review sent back (changes
    requested): what the developer was asked to change, so what to compare with first."""
    if submission.number <= 1:
        return None
    return (Submission.objects.filter(connector_id=submission.connector_id, number__lt=submission.number,
                                      state=ReviewState.CHANGES_REQUESTED)
            .defer("bundle", "instructions").order_by("-number").first())


# A submit still unclaimed after this long was lost on its way to the queue (the reconciler
# re-queues it): it is not "waiting", so nobody defers to it.
WAITING_AT_MOST = timedelta(minutes=2)


def waits_behind_others(submission: Submission) -> bool:
    """True when this review should go back to the queue for now (the fair queue,
    review.services.review_submission_now):

    - its user already has REVIEW_RUNNING_PER_USER reviews running: one developer's slow
      reviews never take every worker, whoever comes next;
    - or its company has a review running while another company's submit waits for a worker.
    """
    now = timezone.now()
    live_since = now - timedelta(seconds=settings.Q_CLUSTER.get("timeout", 120))
    running = (ReviewPhase.objects.filter(phase=Phase.AUTOMATED, status=PhaseStatus.RUNNING, started_at__gte=live_since)
               .exclude(submission_id=submission.pk))
    per_user = int(getattr(settings, "REVIEW_RUNNING_PER_USER", 1))
    if running.filter(submission__submitted_by_id=submission.submitted_by_id).count() >= per_user:
        return True
    if not running.filter(submission__connector__company_id=submission.connector.company_id).exists():
        return False
    return (Submission.objects.filter(state=ReviewState.SUBMITTED, submitted_at__gte=now - WAITING_AT_MOST)
            .exclude(connector__company_id=submission.connector.company_id)
            .exists())


# The review queue's "Recently auto-approved" list (review.carry_over): long enough for an
# engineer back from a week away to see what the portal approved meanwhile.
AUTO_APPROVED_DAYS = 14
AUTO_APPROVED_SHOWN = 20


def recently_auto_approved(now=None) -> list[SubmissionEvent]:
    """The portal's own approvals of the last AUTO_APPROVED_DAYS, newest first, for a later look.

    The history rows, not the submissions: a version taken down since is still listed, with
    the state it is in now.
    """
    since = (now or timezone.now()) - timedelta(days=AUTO_APPROVED_DAYS)
    return list(
        SubmissionEvent.objects.filter(transition="auto_approve", created_at__gte=since)
        .select_related("submission__connector__company")
        # Not the zip, the encrypted instructions nor the code; only() would defer the FSM
        # fields too, which makes django-fsm recurse.
        .defer("submission__bundle", "submission__instructions", "submission__scripts", "submission__manifest",
               *(f"submission__connector__{name}" for name in ("authentication_script", "processdata_script",
                                                                  "samples", "oauth2_client_secret")))
        .order_by("-created_at", "-pk")[:AUTO_APPROVED_SHOWN]
    )
