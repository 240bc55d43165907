"""The mechanics every submission service shares: lock, transition, history row, announce.

A transition locks the submission row, checks the move is allowed now and by whom
(connectors.transitions, read through django-fsm), saves, writes the history row and,
once the transaction commits, announces it (connectors.signals.submission_events) so
the review pipeline and the emails follow.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed, has_transition_perm

from connectors.models import ENDED_STATES, Connector, ReviewState, Submission, SubmissionEvent, Visibility, transition_meta
from connectors.page_scopes import DATA_CENTER
from connectors.signals import submission_events
from connectors.transitions import MILESTONES
from portal.errors import TransitionRefused
from portal.fragments import changed


def event_row(submission_id: int, name: str, *, field: str, source: str, target: str, actor=None, reason: str = "",
              reasons=()) -> SubmissionEvent:
    """The history row of a transition or milestone, unsaved: services and bulk jobs write the same row."""
    return SubmissionEvent(
        submission_id=submission_id, field=field, transition=name, source=source, target=target, actor=actor, reason=reason,
        reasons=list(reasons),
    )


def announce(event_ids: list[int]) -> None:
    """After the transaction commits, tell the followers (review: queued work and emails) about these rows.

    The one path from a history row to its side effects; a signal because the review
    app builds on this one and this one must not know it.
    """
    if event_ids:
        transaction.on_commit(lambda: submission_events.send(sender=Submission, event_ids=list(event_ids)))


def apply_transition(submission: Submission, name: str, actor=None, reason: str = "", reasons=()) -> SubmissionEvent:
    """Run transition `name` on an already locked submission, save it and record it."""
    method = getattr(submission, name)
    field = transition_meta(name).field.name
    source = getattr(submission, field)
    verb = name.replace("_", " ")
    if not can_proceed(method):
        raise TransitionRefused(
            f"Cannot {verb} version {submission.number} of {submission.connector.name}: "
            f"its {'beta' if field == 'beta_state' else 'review'} is {getattr(submission, 'get_' + field + '_display')().lower()}."
        )
    if actor is not None and not has_transition_perm(method, actor):
        raise TransitionRefused(f"You may not {verb} version {submission.number} of {submission.connector.name}.")
    method()
    if field == "state" and submission.state in ENDED_STATES:
        # Stamped here so every way a review ends (withdrawn, superseded, approved,
        # changes requested) records it, whichever service ended it.
        submission.ended_at = timezone.now()
    submission.save()
    if field == "state" and ReviewState.APPROVED in (source, submission.state):
        sync_listing(submission)
    event = event_row(
        submission.pk, name, field=field, source=source, target=getattr(submission, field), actor=actor, reason=reason,
        reasons=reasons,
    )
    event.save()
    announce([event.pk])
    return event


def sync_listing(submission: Submission) -> None:
    """Flag the one version of this connector the Data Center lists, clear the others.

    The listed version is the newest approved one, when it is public. Recomputed from
    the connector's rows, so the order in which versions were approved cannot matter.
    """
    versions = Submission.objects.filter(connector_id=submission.connector_id)
    newest = versions.filter(state=ReviewState.APPROVED).order_by("-number").values_list("pk", "visibility").first()
    listed_pk = newest[0] if newest and newest[1] == Visibility.PUBLIC else None
    moved = versions.filter(listed=True).exclude(pk=listed_pk).update(listed=False)
    if listed_pk is not None:
        moved += versions.filter(pk=listed_pk, listed=False).update(listed=True)
    if moved:  # bulk updates send no signal
        changed(DATA_CENTER)
    submission.listed = submission.pk == listed_pk


def submission_record_milestone(*, submission: Submission, name: str, reason: str = "", actor=None) -> SubmissionEvent:
    """A history row for something the review did without moving a state (connectors.transitions.MILESTONES)."""
    if name not in MILESTONES:
        raise LookupError(f"{name!r} is not a milestone")
    event = event_row(
        submission.pk, name, field=SubmissionEvent.Field.REVIEW, source=submission.state, target=submission.state,
        actor=actor, reason=reason,
    )
    event.save()
    announce([event.pk])
    return event


def lock_version(submission_id: int, *related: str) -> Submission:
    """A version's row for a write, locked after its connector's row.

    Writes that touch several versions of a connector (a submit, a take-down of the whole
    connector, the listed flag of every approval) lock the connector first, then versions.
    A write that locked a version first and reached for the connector (or a sibling version)
    second would deadlock against them on PostgreSQL, so every lock of one version is taken
    here, connector first (tests/connectors/test_lock_order.py holds the apps to it).
    `related` is select_related's; only the version's own row is locked with it.
    A no-op lock on SQLite, which serialises writers."""
    list(Connector.objects.select_for_update(of=("self",)).filter(submissions__pk=submission_id).values_list("pk"))
    return Submission.objects.select_for_update(of=("self",)).select_related("connector", *related).get(pk=submission_id)


def locked(submission_id: int) -> Submission:
    return lock_version(submission_id)


def new_token() -> str:
    # 32 bytes = 256 bits of randomness, URL-safe.
    return secrets.token_urlsafe(32)


