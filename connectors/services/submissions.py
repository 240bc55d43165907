"""The review's state machine as the people and the pipeline move it: submit, start, decide, withdraw."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from connectors.bundle.completeness import missing_parts
from connectors.bundle.writer import bundle_hash, write_bundle_zip
from connectors.conversion import connector_as_bundle
from connectors.errors import IncompleteConnector, InvalidSubmission
from connectors.models import BetaState, Connector, Submission, Visibility
from connectors.services.authoring import ensure_editable
from connectors.services.history import apply_transition, locked, new_token


@transaction.atomic
def connector_submit(*, connector: Connector, user, visibility: str, instructions: str = "") -> Submission:
    connector = Connector.objects.select_for_update().get(pk=connector.pk)
    ensure_editable(connector)
    if visibility not in Visibility.values:
        raise InvalidSubmission(
            f"Choose who may use the connector: {' or '.join(Visibility.labels)}.", field="visibility"
        )
    instructions = (instructions or "").strip()
    if connector.uses_oauth2 and not instructions:
        raise InvalidSubmission(
            "OAuth 2.0 connectors need a test username and password in Additional Instructions, "
            "so the reviewers can sign in.",
            field="instructions",
        )
    bundle = connector_as_bundle(connector)
    missing = missing_parts(bundle)
    if missing:
        raise IncompleteConnector(missing)

    now = timezone.now()
    previous = list(Submission.objects.select_for_update().filter(connector=connector).order_by("-number"))
    submission = Submission(
        connector=connector,
        number=(previous[0].number + 1) if previous else 1,
        bundle=write_bundle_zip(bundle),
        content_hash=bundle_hash(bundle),
        manifest=bundle.manifest,
        name=connector.name,
        description=connector.description,
        scripts=bundle.scripts(),
        uses_oauth2=connector.uses_oauth2,
        has_discovery_parameter=connector.has_discovery_parameter,
        visibility=visibility,
        instructions=instructions,
        submitted_by=user,
        submitted_at=now,
        due_at=now + timedelta(days=settings.REVIEW_DUE_DAYS),
    )
    apply_transition(submission, "submit", user)

    # A new version replaces the one before: its beta stops, and if it were somehow
    # still open it would be withdrawn rather than reviewed twice.
    for older in previous:
        if older.is_open:
            apply_transition(older, "withdraw", user, f"Superseded by version {submission.number}.")
        if older.beta_state == BetaState.ACTIVE:
            apply_transition(older, "close", user, f"Superseded by version {submission.number}.")
    return submission


@transaction.atomic
def submission_withdraw(*, submission: Submission, user, reason: str = "") -> Submission:
    submission = locked(submission.pk)
    apply_transition(submission, "withdraw", user, reason or "Withdrawn by the developer.")
    if submission.beta_state == BetaState.ACTIVE:
        apply_transition(submission, "close", user, "The submission was withdrawn.")
    return submission


@transaction.atomic
def submission_start_review(*, submission: Submission) -> Submission:
    submission = locked(submission.pk)
    apply_transition(submission, "start_review", None, "The first review phase started.")
    return submission


@transaction.atomic
def submission_approve(*, submission: Submission, user, note: str = "") -> Submission:
    submission = locked(submission.pk)
    if submission.visibility == Visibility.COMPANY:
        submission.private_token = new_token()
    apply_transition(submission, "approve", user, note)
    if submission.beta_state == BetaState.ACTIVE:
        apply_transition(submission, "close", user, "Approved: the published connector replaces the beta.")
    return submission


@transaction.atomic
def submission_request_changes(*, submission: Submission, user, note: str) -> Submission:
    """An engineer sends the submission back; the note is what the developer reads first."""
    note = (note or "").strip()
    if not note:
        raise InvalidSubmission("Say what the developer should change: requesting changes needs a note.", field="note")
    submission = locked(submission.pk)
    apply_transition(submission, "request_changes", user, note)
    return submission


@transaction.atomic
def submission_fail_checks(*, submission: Submission, summary: str) -> Submission:
    """The automated checks found errors: back to the developer without an engineer's time."""
    submission = locked(submission.pk)
    apply_transition(submission, "fail_checks", None, summary)
    return submission


