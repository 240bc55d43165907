"""The review's state machine as the people and the pipeline move it: submit, start, decide, withdraw."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from connectors import standard_reasons
from connectors.bundle.completeness import missing_parts
from connectors.bundle.writer import bundle_hash, write_bundle_zip
from connectors.conversion import connector_as_bundle
from connectors.errors import IncompleteConnector, InvalidSubmission
from connectors.models import BetaState, Connector, Submission, Visibility
from connectors.review_queue import ensure_review_capacity
from connectors.services.authoring import ensure_editable
from connectors.services.history import apply_transition, locked, new_token

RELEASE_NOTES_MAX = 5000


@transaction.atomic
def connector_submit(
    *, connector: Connector, user, visibility: str, instructions: str = "", release_notes: str = ""
) -> Submission:
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
    # A browser's textarea sends CRLF; the emails and pages want the lines as typed.
    release_notes = (release_notes or "").replace("\r\n", "\n").strip()
    if len(release_notes) > RELEASE_NOTES_MAX:
        raise InvalidSubmission(
            f"What changed in this version is {len(release_notes)} characters long; keep it under {RELEASE_NOTES_MAX}.",
            field="release_notes",
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
        release_notes=release_notes,
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
    # Counted last, so the version this one supersedes is no longer queued; a refusal
    # rolls the whole submit back.
    ensure_review_capacity(user=user, company=connector.company, adding=submission)
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
    return _approve(submission, "approve", user, note)


@transaction.atomic
def submission_auto_approve(*, submission: Submission, reason: str) -> Submission:
    """The portal approves a version whose code an engineer approved before (review.carry_over)."""
    return _approve(submission, "auto_approve", None, reason)


def _approve(submission: Submission, name: str, user, note: str) -> Submission:
    submission = locked(submission.pk)
    if submission.visibility == Visibility.COMPANY:
        submission.private_token = new_token()
    apply_transition(submission, name, user, note)
    if submission.beta_state == BetaState.ACTIVE:
        apply_transition(submission, "close", user, "Approved: the published connector replaces the beta.")
    return submission


@transaction.atomic
def submission_request_changes(*, submission: Submission, user, note: str, reasons=()) -> Submission:
    """An engineer sends the submission back; the note and the standard reasons are what the developer reads first."""
    note = (note or "").strip()
    reasons = standard_reasons_chosen(reasons, standard_reasons.REQUEST_CHANGES)
    if not note and not reasons:
        raise InvalidSubmission("Say what the developer should change: requesting changes needs a note or a standard reason.",
                                field="note")
    submission = locked(submission.pk)
    apply_transition(submission, "request_changes", user, note, reasons)
    return submission


def standard_reasons_chosen(ids, decision: str) -> list[str]:
    try:
        return standard_reasons.clean(ids, decision)
    except ValueError as unknown:
        raise InvalidSubmission(f"There is no standard reason {str(unknown)!r} for this decision; choose one of the list.",
                                field="reasons") from None


@transaction.atomic
def submission_reopen(*, submission: Submission, user, reason: str) -> Submission:
    """An engineer reverses a contested "Changes requested": the same version is in review again."""
    submission = locked(submission.pk)
    apply_transition(submission, "reopen", user, reason)
    # Its review has not ended after all (apply_transition stamps only the ends).
    Submission.objects.filter(pk=submission.pk).update(ended_at=None)
    submission.ended_at = None
    return submission


@transaction.atomic
def submission_fail_checks(*, submission: Submission, summary: str) -> Submission:
    """The automated checks found errors: back to the developer without an engineer's time."""
    submission = locked(submission.pk)
    apply_transition(submission, "fail_checks", None, summary)
    return submission


