"""What the scheduled jobs do: beta reminders, the secrets purge, the reconciler.

(Beta expiry is connectors.services.betas_expire_due: the beta is that app's state machine.)
Each job is safe to run twice at once (the scheduler can overlap itself, and several
clusters may run it): each row is claimed by its own conditional UPDATE, and only a row
whose UPDATE changed it is acted on, so a row the other run took first is skipped,
whatever the database or isolation level. select_for_update(skip_locked=True), where
the database has it, only keeps the two runs from queueing behind each other's rows.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_q.tasks import async_task

from connectors import selectors
from connectors.models import OPEN_STATES, BetaState, Connector, Submission
from review import services
from review.models import Phase, PhaseStatus, ReviewPhase
from review.pages.page_scopes import review_rows_changed

logger = logging.getLogger(__name__)

CHUNK = 500
# A submit whose task never reached the queue (broker down at that moment) is picked
# up after this long.
LOST_SUBMIT_AFTER = timedelta(minutes=2)


def _claim_each(ids: list[int], condition: dict, values: dict) -> list[int]:
    """Conditionally update each row; return the ids this run changed (its claim)."""
    rows = Submission.objects.filter(**condition)
    return [pk for pk in ids if rows.filter(pk=pk).update(**values)]


REMINDERS = {
    # days before expiry: (field, window start offset). The 3-day reminder covers
    # (1 day, 3 days] before expiry; the 1-day one the last day.
    3: ("beta_reminded_3d_at", timedelta(days=1)),
    1: ("beta_reminded_1d_at", timedelta(0)),
}


def betas_send_reminders(now=None) -> dict[int, int]:
    """Remind the developers 3 days and 1 day before a beta expires, each once."""
    now = now or timezone.now()
    sent = {}
    for days, (field, lower) in REMINDERS.items():
        sent[days] = 0
        while True:
            with transaction.atomic():
                due = Submission.objects.filter(
                    beta_state=BetaState.ACTIVE,
                    beta_expires_at__gt=now + lower,
                    beta_expires_at__lte=now + timedelta(days=days),
                    **{f"{field}__isnull": True},
                )
                ids = selectors.unclaimed_ids(due, CHUNK)
                if not ids:
                    break
                ids = _claim_each(ids, {f"{field}__isnull": True}, {field: now})
                if not ids:
                    continue
                transaction.on_commit(
                    lambda ids=ids, days=days: async_task("review.tasks.send_beta_reminders", ids, days)
                )
                sent[days] += len(ids)
    return sent


def secrets_purge_ended(now=None) -> dict[str, int]:
    """Erase Additional Instructions and OAuth client secrets once reviews ended long enough ago.

    A connector's client secret goes only when none of its submissions is open, its
    last review ended before the cutoff and nobody edited the connector since (a
    secret typed in after that is for the next submission).
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.PURGE_AFTER_DAYS)
    with transaction.atomic():
        ended = Submission.objects.filter(ended_at__lt=cutoff, secrets_purged_at__isnull=True)
        submissions = ended.update(instructions="", secrets_purged_at=now)
        recent_or_open = Submission.objects.filter(Q(state__in=OPEN_STATES) | Q(ended_at__gte=cutoff))
        connectors = (
            Connector.objects.exclude(oauth2_client_secret="")
            .filter(updated_at__lt=cutoff, submissions__ended_at__lt=cutoff)
            .exclude(submissions__in=recent_or_open)
            .distinct()
        )
        # update() leaves updated_at alone, so the purge does not look like an edit.
        secrets = Connector.objects.filter(pk__in=list(connectors.values_list("pk", flat=True))).update(
            oauth2_client_secret=""
        )
    if submissions or secrets:
        logger.info("Purged the instructions of %s submissions and %s OAuth client secrets", submissions, secrets)
    return {"instructions": submissions, "client_secrets": secrets}


def reviews_reconcile(now=None) -> int:
    """Re-queue review runs that nobody is doing; returns how many were queued.

    Catches a worker killed mid-run (Redis broker: the task is lost; ORM broker: it
    comes back only after `retry`), a retry whose schedule was lost, a run that kept
    failing past its retries (tried again hourly), and a submit whose task never made
    it to the queue. A dead run of a review that has ended is not re-queued but stopped.
    """
    now = now or timezone.now()
    stale_running = Q(status=PhaseStatus.RUNNING, started_at__lt=now - services.running_limit())
    # A worker that died after its submission was withdrawn or superseded leaves phases
    # nobody will run again: they read "not run" rather than running for ever.
    dead = ReviewPhase.objects.filter(stale_running).exclude(submission__state__in=OPEN_STATES)
    if dead_ids := set(dead.values_list("submission_id", flat=True)):
        review_rows_changed(*dead_ids)  # bulk updates send no signal
        dead.update(status=PhaseStatus.PENDING)
    old_error = Q(status=PhaseStatus.ERROR, finished_at__lt=now - services.retry_delay(services.MAX_ATTEMPTS) / 2)
    stuck = set(
        ReviewPhase.objects.filter(stale_running | old_error, phase=Phase.AUTOMATED, submission__state__in=OPEN_STATES)
        .values_list("submission_id", flat=True)
    )
    lost = set(
        Submission.objects.filter(state__in=OPEN_STATES, submitted_at__lt=now - LOST_SUBMIT_AFTER)
        .filter(Q(phases__isnull=True) | Q(phases__phase=Phase.AUTOMATED, phases__status=PhaseStatus.PENDING))
        .values_list("pk", flat=True)
    )
    for submission_id in sorted(stuck | lost):
        logger.warning("Reconciler re-queues the review of submission %s", submission_id)
        services.queue_review(submission_id)
    return len(stuck | lost)
