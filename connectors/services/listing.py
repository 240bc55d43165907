"""After approval: take a connector (or one version) out of use, and put it back.

- an engineer takes down an approved version, or the whole connector, with a reason;
- a developer unpublishes their own connector, with theirs;
- an engineer re-lists what either took down.

A version out of use leaves the Data Center at once (history.sync_listing), its private
URL answers 410 (it is no longer approved). Taking the whole connector out also closes
every live beta and stops its open review, so nothing of it stays reachable and an
approval racing the take-down finds the review withdrawn instead of listing it again.
Every step is a transition of the table (connectors.transitions): its history row says
who and why, and its email follows on commit.
"""

from __future__ import annotations

from django.db import transaction

from connectors import standard_reasons
from connectors.errors import InvalidSubmission
from connectors.models import DELISTED_STATES, BetaState, Connector, ReviewState, Submission
from connectors.services.history import apply_transition, locked
from connectors.services.submissions import standard_reasons_chosen
from portal.errors import TransitionRefused


def required_reason(reason: str, what: str, reasons=()) -> str:
    """The reason stripped, or a refusal naming the field when neither it nor a standard reason was given."""
    reason = (reason or "").strip()
    if not reason and not reasons:
        raise InvalidSubmission(f"Say why: {what} needs a reason the developers will read.", field="reason")
    return reason


def _standard(reasons) -> list[str]:
    # The take-down's standard reasons (connectors.standard_reasons), checked before anything is locked.
    return standard_reasons_chosen(reasons, standard_reasons.TAKE_DOWN)


def locked_versions(connector: Connector) -> tuple[Connector, list[Submission]]:
    """The connector and every version of it, locked in the one order (also rollback.py's)."""
    # The connector row first, as connector_submit takes it: a submit and a take-down
    # queue behind each other; then every version, oldest first, in one order for all.
    connector = Connector.objects.select_for_update().get(pk=connector.pk)
    versions = list(
        Submission.objects.select_for_update().select_related("connector").filter(connector=connector).order_by("number")
    )
    return connector, versions


def _out_of_use(connector: Connector, user, reason: str, name: str, reasons=()) -> list[Submission]:
    """`name` (take_down or unpublish) on every approved version, then close the rest."""
    connector, versions = locked_versions(connector)
    approved = [v for v in versions if v.state == ReviewState.APPROVED]
    if not approved:
        raise TransitionRefused(f"{connector.name} has no approved version in use.")
    for version in approved:
        apply_transition(version, name, user, reason, reasons)
    said = reason or "; ".join(r.title for r in standard_reasons.described(reasons))
    why = f"{connector.name} was {'taken down' if name == 'take_down' else 'unpublished'}: {said}"
    for version in versions:
        if version.is_open:
            apply_transition(version, "withdraw" if name == "unpublish" else "stop_review", user, why)
        if version.beta_state == BetaState.ACTIVE:
            apply_transition(version, "close", user, why)
    return approved


@transaction.atomic
def connector_take_down(*, connector: Connector, user, reason: str, reasons=()) -> list[Submission]:
    """An engineer takes every approved version of the connector out of use."""
    reasons = _standard(reasons)
    return _out_of_use(connector, user, required_reason(reason, "a take-down", reasons), "take_down", reasons)


@transaction.atomic
def connector_unpublish(*, connector: Connector, user, reason: str) -> list[Submission]:
    """A developer takes their own connector out of use (the same effects as a take-down)."""
    return _out_of_use(connector, user, required_reason(reason, "unpublishing"), "unpublish")


@transaction.atomic
def submission_take_down(*, submission: Submission, user, reason: str, reasons=()) -> Submission:
    """An engineer takes one approved version out of use; an older approved one, if any, is listed instead."""
    reasons = _standard(reasons)
    reason = required_reason(reason, "a take-down", reasons)
    submission = locked(submission.pk)
    apply_transition(submission, "take_down", user, reason, reasons)
    if submission.beta_state == BetaState.ACTIVE:
        apply_transition(submission, "close", user, "Taken down: " + (reason or "; ".join(
            r.title for r in standard_reasons.described(reasons))))
    return submission


@transaction.atomic
def submission_relist(*, submission: Submission, user, reason: str) -> Submission:
    """An engineer puts a version taken down or unpublished back in use (listed again if it is the newest)."""
    reason = required_reason(reason, "re-listing")
    submission = locked(submission.pk)
    apply_transition(submission, "relist", user, reason)
    return submission


@transaction.atomic
def connector_relist(*, connector: Connector, user, reason: str) -> list[Submission]:
    """An engineer re-lists every version of the connector that was taken down or unpublished."""
    reason = required_reason(reason, "re-listing")
    connector, versions = locked_versions(connector)
    delisted = [v for v in versions if v.state in DELISTED_STATES]
    if not delisted:
        raise TransitionRefused(f"{connector.name} has no version taken down or unpublished.")
    for version in delisted:
        apply_transition(version, "relist", user, reason)
    return delisted
