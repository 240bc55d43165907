"""The beta's state machine: self-publish, expire (one, or every due beta in bulk), close."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from connectors import selectors
from connectors.errors import SelfPublishRefused
from connectors.models import Submission, SubmissionEvent, transition_meta
from connectors.page_scopes import submissions_changed
from connectors.services.history import announce, apply_transition, event_row, locked, new_token
from portal.errors import TransitionRefused


@transaction.atomic
def submission_self_publish(*, submission: Submission, user) -> Submission:
    submission = locked(submission.pk)
    blockers = submission.self_publish_blockers()
    if blockers:
        raise SelfPublishRefused(blockers)
    submission.beta_token = new_token()
    submission.beta_expires_at = timezone.now() + timedelta(days=settings.BETA_DAYS)
    apply_transition(submission, "self_publish", user, f"Beta published until {submission.beta_expires_at:%Y-%m-%d %H:%M} UTC.")
    return submission


EXPIRE_REASON = "The beta period ended."


@transaction.atomic
def submission_expire_beta(*, submission: Submission) -> Submission:
    """One beta past its expiry; connectors.betas.betas_expire_due is the same step in bulk."""
    submission = locked(submission.pk)
    if submission.beta_expires_at is None or submission.beta_expires_at > timezone.now():
        raise TransitionRefused("The beta has not reached its expiry yet.")
    apply_transition(submission, "expire", None, EXPIRE_REASON)
    return submission


@transaction.atomic
def submission_close_beta(*, submission: Submission, user, reason: str = "") -> Submission:
    submission = locked(submission.pk)
    apply_transition(submission, "close", user, reason or "Closed.")
    return submission


# --- every due beta at once -------------------------------------------------------------

EXPIRE_CHUNK = 500


def _expiry_move() -> tuple[str, str, str]:
    """The expire transition's field, source and target, as django-fsm declares them."""
    meta = transition_meta("expire")
    (source, move), = meta.transitions.items()
    return meta.field.name, source, move.target


def betas_expire_due(now=None) -> int:
    """submission_expire_beta for every active beta past its expiry, in chunks; returns how many this run moved.

    10,000 betas must expire in one run within seconds, so each row is claimed by a
    conditional UPDATE (... WHERE beta_state = 'active') instead of a locked load and
    save: a row another run took first is skipped, whatever the database. Each claimed
    row gets the same history row as the single expiry and follows the same announce.
    """
    now = now or timezone.now()
    field, source, target = _expiry_move()
    total = 0
    while True:
        with transaction.atomic():
            ids = selectors.unclaimed_ids(Submission.objects.filter(**{field: source}, beta_expires_at__lte=now), EXPIRE_CHUNK)
            if not ids:
                return total
            still = Submission.objects.filter(**{field: source})
            ids = [pk for pk in ids if still.filter(pk=pk).update(**{field: target})]
            if not ids:
                continue  # the other run took this chunk; look again
            events = SubmissionEvent.objects.bulk_create(
                event_row(pk, "expire", field=field, source=source, target=target, reason=EXPIRE_REASON) for pk in ids
            )
            if not connection.features.can_return_rows_from_bulk_insert:
                # A beta expires at most once, so these are exactly the rows just written.
                events = list(SubmissionEvent.objects.filter(submission_id__in=ids, transition="expire"))
            submissions_changed(ids)  # bulk updates send no signal
            announce([event.pk for event in events])
            total += len(ids)
