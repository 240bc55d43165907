"""Every write to connectors and submissions.

A transition locks the submission row, checks the move is allowed now, saves, writes
the history row and, once the transaction commits, announces the event
(connectors.signals.submission_changed) so the review pipeline and the emails follow.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from connectors import selectors
from connectors.bundle.completeness import MissingPart, icon_problem, missing_parts
from connectors.bundle.errors import BundleError
from connectors.bundle.reader import read_bundle
from connectors.bundle.types import ICONS
from connectors.bundle.writer import bundle_hash, write_bundle_zip
from connectors.conversion import bundle_fields, connector_as_bundle
from connectors.errors import (
    ConnectorLocked,
    IncompleteConnector,
    InvalidBundle,
    InvalidSubmission,
    SelfPublishRefused,
)
from connectors.models import (
    ENDED_STATES,
    BetaState,
    Company,
    Connector,
    ConnectorFile,
    Submission,
    SubmissionEvent,
    Visibility,
)
from connectors.signals import submission_changed
from portal.errors import TransitionRefused

# Editable connector columns (the rest is state or bookkeeping).
CONNECTOR_FIELDS = (
    "name",
    "description",
    "auth_method",
    "auth_fields",
    "oauth2",
    "oauth2_client_secret",
    "hosts",
    "reports",
    "parameters",
    "samples",
    "authentication_script",
    "processdata_script",
)

# --- connectors ---------------------------------------------------------------


def connector_locked_message(connector: Connector, open_submission: Submission) -> str:
    """Why the connector is frozen: the editor shows it before a save is even tried."""
    return (
        f"{connector.name} cannot be edited while version {open_submission.number} is "
        f"{open_submission.get_state_display().lower()}: the reviewers are looking at exactly this code. "
        "Withdraw the submission from the status window to edit it again."
    )


def _ensure_editable(connector: Connector) -> None:
    open_submission = selectors.open_submission(connector)
    if open_submission is not None:
        raise ConnectorLocked(connector_locked_message(connector, open_submission))


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(CONNECTOR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown connector fields: {sorted(unknown)}")


def _add_files(connector: Connector, files: dict[str, bytes]) -> None:
    ConnectorFile.objects.bulk_create(
        [ConnectorFile(connector=connector, path=path, content=data) for path, data in sorted(files.items())]
    )


@transaction.atomic
def connector_create(*, company: Company, user, name: str, **fields) -> Connector:
    _check_fields(fields)
    connector = Connector(company=company, name=name, created_by=user, **fields)
    connector.full_clean(exclude=["company", "created_by"])
    connector.save()
    return connector


@transaction.atomic
def connector_update(*, connector: Connector, user, files: dict[str, bytes | None] | None = None, **fields) -> Connector:
    """Change columns and/or files (a None content deletes that file)."""
    connector = Connector.objects.select_for_update().get(pk=connector.pk)
    _ensure_editable(connector)
    _check_fields(fields)
    for name, value in fields.items():
        setattr(connector, name, value)
    connector.full_clean(exclude=["company", "created_by"])
    connector.save()
    for path, content in (files or {}).items():
        if content is None:
            connector.files.filter(path=path).delete()
        else:
            ConnectorFile.objects.update_or_create(connector=connector, path=path, defaults={"content": content})
    return connector


def connector_set_icon(*, connector: Connector, user, key: str, data: bytes) -> Connector:
    problem = icon_problem(key, data)
    if problem:
        raise InvalidBundle(BundleError(problem, file=ICONS[key][0]))
    return connector_update(connector=connector, user=user, files={ICONS[key][0]: data})


def _read_strict(source):
    """Read a bundle for import: unreadable or with bad icons, nothing is stored."""
    try:
        bundle = read_bundle(source)
    except BundleError as error:
        raise InvalidBundle(error) from None
    for key, (path, _w, _h) in ICONS.items():
        if path in bundle.files:
            problem = icon_problem(key, bundle.files[path])
            if problem:
                raise InvalidBundle(BundleError(problem, file=path))
    return bundle


@transaction.atomic
def connector_import_bundle(*, company: Company, user, source) -> Connector:
    bundle = _read_strict(source)
    fields, files = bundle_fields(bundle)
    connector = Connector.objects.create(company=company, created_by=user, **fields)
    _add_files(connector, files)
    return connector


@transaction.atomic
def connector_replace_bundle(*, connector: Connector, user, source) -> Connector:
    bundle = _read_strict(source)
    connector = Connector.objects.select_for_update().get(pk=connector.pk)
    _ensure_editable(connector)
    fields, files = bundle_fields(bundle)
    for name, value in fields.items():
        setattr(connector, name, value)
    connector.save()
    connector.files.all().delete()
    _add_files(connector, files)
    return connector


@transaction.atomic
def connector_delete(*, connector: Connector, user) -> str:
    """Delete a draft that was never submitted; a submitted one keeps its history."""
    connector = Connector.objects.select_for_update().get(pk=connector.pk)
    if connector.submissions.exists():
        raise ConnectorLocked(
            f"{connector.name} has been submitted, so it stays with its versions and review history. "
            "Only a connector that was never submitted can be deleted."
        )
    name = connector.name
    connector.delete()
    return name


def connector_export_bundle(connector: Connector) -> bytes:
    return write_bundle_zip(connector_as_bundle(connector))


def connector_missing_parts(connector: Connector) -> list[MissingPart]:
    """The completeness check: the same list as the review's missing-field rule."""
    return missing_parts(connector_as_bundle(connector))


# --- submissions: shared transition mechanics -----------------------------------


def _record(submission: Submission, field: str, name: str, source: str, actor, reason: str) -> SubmissionEvent:
    event = SubmissionEvent.objects.create(
        submission=submission,
        field=field,
        transition=name,
        source=source,
        target=getattr(submission, field),
        actor=actor,
        reason=reason,
    )
    transaction.on_commit(
        lambda: submission_changed.send(sender=Submission, submission_id=submission.pk, event_id=event.pk)
    )
    return event


def _apply(submission: Submission, name: str, actor=None, reason: str = "") -> SubmissionEvent:
    """Run transition `name` on an already locked submission, save it and record it."""
    method = getattr(submission, name)
    field = "beta_state" if name in ("self_publish", "expire", "close") else "state"
    source = getattr(submission, field)
    if not can_proceed(method):
        verb = name.replace("_", " ")
        raise TransitionRefused(
            f"Cannot {verb} version {submission.number} of {submission.connector.name}: "
            f"its {'beta' if field == 'beta_state' else 'review'} is {getattr(submission, 'get_' + field + '_display')().lower()}."
        )
    method()
    if field == "state" and submission.state in ENDED_STATES:
        # Stamped here so every way a review ends (withdrawn, superseded, approved,
        # changes requested) records it, whichever service ended it.
        submission.ended_at = timezone.now()
    submission.save()
    return _record(submission, field, name, source, actor, reason)


def _locked(submission_id: int) -> Submission:
    return Submission.objects.select_for_update().select_related("connector").get(pk=submission_id)


def _new_token() -> str:
    # 32 bytes = 256 bits of randomness, URL-safe.
    return secrets.token_urlsafe(32)


# --- submissions: the transitions -------------------------------------------------


@transaction.atomic
def connector_submit(*, connector: Connector, user, visibility: str, instructions: str = "") -> Submission:
    connector = Connector.objects.select_for_update().get(pk=connector.pk)
    _ensure_editable(connector)
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
    _apply(submission, "submit", user)

    # A new version replaces the one before: its beta stops, and if it were somehow
    # still open it would be withdrawn rather than reviewed twice.
    for older in previous:
        if older.is_open:
            _apply(older, "withdraw", user, f"Superseded by version {submission.number}.")
        if older.beta_state == BetaState.ACTIVE:
            _apply(older, "close", user, f"Superseded by version {submission.number}.")
    return submission


@transaction.atomic
def submission_withdraw(*, submission: Submission, user, reason: str = "") -> Submission:
    submission = _locked(submission.pk)
    _apply(submission, "withdraw", user, reason or "Withdrawn by the developer.")
    if submission.beta_state == BetaState.ACTIVE:
        _apply(submission, "close", user, "The submission was withdrawn.")
    return submission


@transaction.atomic
def submission_start_review(*, submission: Submission) -> Submission:
    submission = _locked(submission.pk)
    _apply(submission, "start_review", None, "The first review phase started.")
    return submission


@transaction.atomic
def submission_approve(*, submission: Submission, user, note: str = "") -> Submission:
    submission = _locked(submission.pk)
    if submission.visibility == Visibility.COMPANY:
        submission.private_token = _new_token()
    _apply(submission, "approve", user, note)
    if submission.beta_state == BetaState.ACTIVE:
        _apply(submission, "close", user, "Approved: the published connector replaces the beta.")
    return submission


@transaction.atomic
def submission_request_changes(*, submission: Submission, user=None, note: str = "") -> Submission:
    submission = _locked(submission.pk)
    _apply(submission, "request_changes", user, note)
    return submission


@transaction.atomic
def submission_self_publish(*, submission: Submission, user) -> Submission:
    submission = _locked(submission.pk)
    blockers = submission.self_publish_blockers()
    if blockers:
        raise SelfPublishRefused(blockers)
    submission.beta_token = _new_token()
    submission.beta_expires_at = timezone.now() + timedelta(days=settings.BETA_DAYS)
    _apply(submission, "self_publish", user, f"Beta published until {submission.beta_expires_at:%Y-%m-%d %H:%M} UTC.")
    return submission


@transaction.atomic
def submission_expire_beta(*, submission: Submission) -> Submission:
    submission = _locked(submission.pk)
    if submission.beta_expires_at is None or submission.beta_expires_at > timezone.now():
        raise TransitionRefused("The beta has not reached its expiry yet.")
    _apply(submission, "expire", None, "The beta period ended.")
    return submission


@transaction.atomic
def submission_close_beta(*, submission: Submission, user, reason: str = "") -> Submission:
    submission = _locked(submission.pk)
    _apply(submission, "close", user, reason or "Closed.")
    return submission
