"""The review pipeline: the machine's run over a submission, and the engineers' sign-offs.

One engine run covers the machine's part of the automated, security and performance
phases (they share the parse and the sandbox runs), so those three rows move
together: pending -> running -> passed/failed/needs_review, or error when our own
machinery broke. The run is claimed under the submission's row lock and stamped with
an attempt number; results are stored only by the attempt that still holds the claim,
so a duplicate or retried task never writes twice.

Transitions of the submission itself go through connectors.services.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task, schedule

from connectors import services as connector_services
from connectors.bundle.reader import read_bundle
from connectors.conversion import connector_as_bundle
from connectors.models import OPEN_STATES, Connector, ReviewState, Submission
from portal.errors import TransitionRefused
from review.carry_over import carry_over
from review.models import HUMAN_PHASES, Finding, InstructionsAccess, Phase, PhaseStatus, ReviewPhase, Severity
from review.pages.page_scopes import review_rows_changed
from review.pages.summary import handed_to_engineer, review_summary
from review.selectors import waits_behind_others
from review.waivers import active_waivers, match

logger = logging.getLogger(__name__)

MACHINE_PHASES = (Phase.AUTOMATED, Phase.SECURITY, Phase.PERFORMANCE)
FINISHED = (PhaseStatus.PASSED, PhaseStatus.FAILED)
# Retries of a broken run: 30 s, 60 s, 120 s, 240 s. When the last attempt for the same
# snapshot breaks too, the machine's phases are handed to an engineer ("the automated
# checks could not finish"): a machinery failure never turns into a rejection, and never
# into retries for ever either.
MAX_ATTEMPTS = getattr(settings, "REVIEW_MAX_ATTEMPTS", 5)
COULD_NOT_FINISH = ("The automated checks could not finish after {attempts} attempts (a problem of the checking "
                    "machinery, not of your connector). An engineer reviews this version by hand.")
RETRY_BASE_SECONDS = getattr(settings, "REVIEW_RETRY_BASE_SECONDS", 30)
SLOW_RETRY_SECONDS = 3600


def running_limit() -> timedelta:
    """How long a run may hold its claim before it counts as dead.

    django-q2 kills a task at `timeout`, so a run older than that cannot be alive;
    `retry` (> timeout) is when the ORM broker re-delivers it, by then it is stale.
    """
    return timedelta(seconds=settings.Q_CLUSTER.get("timeout", 120))


# --- the machine's run ------------------------------------------------------------


# The fair queue (review.selectors.waits_behind_others): a review that must wait goes back to
# the end of the queue after this pause (so that waiting is not a busy loop, and the worker
# is free again at once for whoever is next), for as long as the review it waits for can
# run, and never more often than this (then it runs: a review is never starved).
DEFER_PAUSE_SECONDS = 0.5
MAX_DEFERRALS = int(2 * settings.Q_CLUSTER.get("timeout", 120) / DEFER_PAUSE_SECONDS)


def review_submission_now(submission_id: int, deferred: int = 0) -> str:
    """Run the machine's part of the review and store it; what the task runs.

    Returns what happened: "skipped" (not open), "done" (already reviewed), "busy"
    (another live attempt holds it), "deferred" (queued again behind other users'
    reviews), "superseded" (another attempt took over while this one ran), "passed" or
    "failed". Exceptions propagate (see review_submission).
    """
    from review.engine import EngineConfig, run_review

    if _defer_behind_others(submission_id, deferred):
        return "deferred"
    attempt = _claim(submission_id)
    if isinstance(attempt, str):
        return attempt
    # values_list, not only(): deferring the FSM fields makes django-fsm recurse.
    bundle = Submission.objects.values_list("bundle", flat=True).get(pk=submission_id)
    # Outside any transaction: a run takes a second or more and must not hold the
    # database's write lock (SQLite has only one).
    result = run_review(read_bundle(bytes(bundle)), EngineConfig.from_settings())
    return _store(submission_id, attempt, result)


def _defer_behind_others(submission_id: int, deferred: int) -> bool:
    """With two workers and a FIFO queue, one developer's two slow reviews would hold both
    while everybody else waits: the second goes to the back of the queue instead, behind
    whatever comes in meanwhile. Inline tasks (sync mode) have no queue to go back to."""
    from django_q.conf import Conf

    if Conf.SYNC or deferred >= MAX_DEFERRALS:
        return False
    submission = Submission.objects.select_related("connector").filter(pk=submission_id).first()
    if submission is None or submission.state not in OPEN_STATES or not waits_behind_others(submission):
        return False
    if deferred % 20 == 0:
        logger.info("Review of submission %s waits behind other reviews (%s times)", submission_id, deferred + 1)
    time.sleep(DEFER_PAUSE_SECONDS)
    async_task("review.tasks.review_submission", submission_id, deferred + 1, task_name=f"review-{submission_id}")
    return True


def review_submission(submission_id: int, deferred: int = 0) -> str:
    """review_submission_now, with our own failures turned into "checks delayed" + a retry."""
    try:
        return review_submission_now(submission_id, deferred)
    except Exception as exc:  # noqa: BLE001 - any failure of ours must become `error`, never a rejection
        logger.exception("Review run of submission %s failed", submission_id)
        review_mark_error(submission_id, f"{type(exc).__name__}: {exc}")
        return "error"


def ensure_phases(submission: Submission) -> dict[str, ReviewPhase]:
    existing = {p.phase: p for p in submission.phases.all()}
    missing = [ReviewPhase(submission=submission, phase=p, position=i) for i, p in enumerate(Phase.values) if p not in existing]
    if missing:
        ReviewPhase.objects.bulk_create(missing, ignore_conflicts=True)
        review_rows_changed(submission.pk)  # bulk writes send no signal
        existing = {p.phase: p for p in submission.phases.all()}
    return existing


@transaction.atomic
def _claim(submission_id: int) -> int | str:
    submission = connector_services.lock_version(submission_id)
    if submission.state not in OPEN_STATES:
        return "skipped"  # withdrawn, superseded or already decided
    phases = ensure_phases(submission)
    automated = phases[Phase.AUTOMATED]
    # Handed to an engineer (could not finish, or a reversed contest): a late retry must not run it again.
    if automated.status in FINISHED or handed_to_engineer(automated):
        return "done"
    now = timezone.now()
    if automated.status == PhaseStatus.RUNNING and automated.started_at and now - automated.started_at < running_limit():
        return "busy"
    attempt = automated.attempts + 1
    worker = {"pid": os.getpid(), "host": socket.gethostname(), "attempt": attempt}
    for name in MACHINE_PHASES:
        phase = phases[name]
        phase.status = PhaseStatus.RUNNING
        phase.attempts = attempt
        phase.started_at = now
        phase.finished_at = None
        phase.details = {**phase.details, "worker": worker}
        phase.details.pop("error", None)
        phase.save(update_fields=["status", "attempts", "started_at", "finished_at", "details"])
    if submission.state == ReviewState.SUBMITTED:
        connector_services.submission_start_review(submission=submission)
    return attempt


def _phase_of(finding) -> str:
    # The engine's phases are the machine's three; anything else is a bug there, and
    # storing it as automated keeps the finding visible instead of losing it.
    return finding.phase if finding.phase in MACHINE_PHASES else Phase.AUTOMATED


@transaction.atomic
def _store(submission_id: int, attempt: int, result) -> str:
    submission = connector_services.lock_version(submission_id)
    phases = {p.phase: p for p in submission.phases.select_for_update()}
    if phases[Phase.AUTOMATED].attempts != attempt or phases[Phase.AUTOMATED].status != PhaseStatus.RUNNING:
        return "superseded"
    now = timezone.now()
    # An engineer's waiver (rule, file, flagged line) keeps an error from failing its phase.
    waivers = active_waivers(submission.connector_id)
    waived = {id(f): match(waivers, submission.scripts, f.rule, f.file or "", f.line, f.message)
              for f in result.findings}
    errors_in = {_phase_of(f) for f in result.findings if f.severity == Severity.ERROR and not waived[id(f)]}
    failed = bool(errors_in)
    Finding.objects.filter(review_phase__in=[phases[p] for p in MACHINE_PHASES]).delete()
    review_rows_changed(submission.pk)  # bulk writes send no signal
    Finding.objects.bulk_create(
        Finding(
            waiver=waived[id(f)],
            submission=submission,
            review_phase=phases[_phase_of(f)],
            rule=f.rule,
            severity=f.severity,
            phase=_phase_of(f),
            file=f.file or "",
            line=f.line,
            column=f.column,
            message=f.message,
            hint=f.hint or "",
        )
        for f in result.findings
    )
    still_open = submission.state in OPEN_STATES
    statuses = {
        Phase.AUTOMATED: PhaseStatus.FAILED if Phase.AUTOMATED in errors_in else PhaseStatus.PASSED,
        Phase.PERFORMANCE: PhaseStatus.FAILED if Phase.PERFORMANCE in errors_in else PhaseStatus.PASSED,
        # The security rules are only the machine's half: a clean run waits for an
        # engineer. When the run failed elsewhere, nobody's time is asked for.
        Phase.SECURITY: (
            PhaseStatus.FAILED
            if Phase.SECURITY in errors_in
            else PhaseStatus.NEEDS_REVIEW if not failed and still_open else PhaseStatus.PENDING
        ),
    }
    details = {
        Phase.AUTOMATED: {"timings": result.timings, "requests": result.requests, "ruleset": result.ruleset,
                          "logs": result.logs},
        Phase.SECURITY: {"sites": result.sites},
        Phase.PERFORMANCE: {"performance": result.performance},
    }
    for name, status in statuses.items():
        phase = phases[name]
        phase.status = status
        phase.finished_at = now
        phase.details = {**details[name], "worker": phase.details.get("worker")}
        phase.save(update_fields=["status", "finished_at", "details"])
    if not still_open:
        return "failed" if failed else "passed"
    if failed:
        # Back to the developer without an engineer's time; its email lists the errors.
        connector_services.submission_fail_checks(submission=submission, summary=errors_summary(submission))
    elif not carry_over(submission, phases):  # approved when the same code's sign-offs carry over
        code_review = phases[Phase.CODE_REVIEW]
        if code_review.status == PhaseStatus.PENDING:
            code_review.status = PhaseStatus.NEEDS_REVIEW
            code_review.save(update_fields=["status"])
        connector_services.submission_record_milestone(submission=submission, name="checks_passed")
    return "failed" if failed else "passed"


def errors_summary(submission: Submission, limit: int = 20) -> str:
    errors = review_summary(submission).errors
    lines = [f"The automated checks found {len(errors)} error{'s' if len(errors) != 1 else ''}:"]
    for f in errors[:limit]:
        where = f"{f.file}:{f.line}" if f.file and f.line else (f.file or "the connector")
        lines.append(f"- {f.rule} ({where}): {f.message}")
    if len(errors) > limit:
        lines.append(f"... and {len(errors) - limit} more; the status window lists them all.")
    return "\n".join(lines)


# --- Check now: the same checks on a draft, stored nowhere ---------------------------


def connector_check(connector_id: int) -> dict:
    """The automated checks on the connector's saved draft, without submitting.

    Runs in a qcluster worker because the engine runs the scripts in sandbox
    subprocesses and can take seconds; the web process only polls for the result.
    Returns the result as bundle-format.md's JSON plus where the data goes and the
    DOMO.log lines (picklable; check_context reads them into the summary's types).
    """
    from review.engine import EngineConfig, run_review

    connector = Connector.objects.get(pk=connector_id)
    bundle = connector_as_bundle(connector)
    engine_result = run_review(bundle, EngineConfig.from_settings())
    # for_people: where the data goes and the logs; runs: what each run produced (Check now's
    # preview). Neither is part of review_bundle's JSON.
    result = {**engine_result.to_dict(), **engine_result.for_people(), "runs": engine_result.runs}
    # The connector's waivers apply to its draft as they will to its next submission, so
    # Check now and the review agree on the verdict.
    waivers = active_waivers(connector_id)
    scripts = bundle.scripts()
    for finding in result["findings"]:
        waiver = match(waivers, scripts, finding["rule"], finding.get("file") or "", finding.get("line"),
                       finding["message"])
        finding["waived"] = waiver.as_json() if waiver else None
    if any(f["severity"] == Severity.ERROR for f in result["findings"]):
        result["verdict"] = "fail" if any(f["severity"] == Severity.ERROR and not f["waived"]
                                          for f in result["findings"]) else "pass"
    return result


# --- machinery failures -------------------------------------------------------------


def retry_delay(attempt: int) -> timedelta:
    if attempt >= MAX_ATTEMPTS:
        return timedelta(seconds=SLOW_RETRY_SECONDS)
    return timedelta(seconds=RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0))


def review_mark_error(submission_id: int, message: str) -> None:
    """Our run broke: the developer sees "checks delayed", and a retry is scheduled.

    django-q2 does not retry a task that raised, so the retry is a one-off Schedule.
    """
    with transaction.atomic():
        submission = connector_services.lock_version(submission_id)
        if submission.state not in OPEN_STATES:
            # Withdrawn or superseded during the run: nothing will run these phases again,
            # so they read "not run" instead of running for ever.
            submission.phases.filter(status=PhaseStatus.RUNNING).update(status=PhaseStatus.PENDING)
            review_rows_changed(submission.pk)
            return
        phases = ensure_phases(submission)
        now = timezone.now()
        for name in MACHINE_PHASES:
            phase = phases[name]
            if phase.status in FINISHED or phase.status == PhaseStatus.NEEDS_REVIEW:
                continue
            phase.status = PhaseStatus.ERROR
            phase.finished_at = now
            # For engineers and logs only; the developer sees "checks delayed".
            phase.details = {**phase.details, "error": message[:1000]}
            phase.save(update_fields=["status", "finished_at", "details"])
        attempts = phases[Phase.AUTOMATED].attempts
        if attempts >= MAX_ATTEMPTS:
            _hand_to_engineer(submission, phases, attempts)
            return
        # In the same transaction: the error and its retry are stored together or not at all.
        schedule_review_retry(submission_id, attempts)


def _hand_to_engineer(submission: Submission, phases: dict, attempts: int) -> None:
    """Stop retrying: the machine's unfinished phases wait for an engineer's sign-off.

    The milestone tells the developers (and, by its email, the engineers) plainly; the
    reconciler leaves these phases alone, since they are no longer in error.
    """
    note = COULD_NOT_FINISH.format(attempts=attempts)
    for name in MACHINE_PHASES:
        phase = phases[name]
        if phase.status != PhaseStatus.ERROR:
            continue
        phase.status = PhaseStatus.NEEDS_REVIEW
        phase.details = {**phase.details, "could_not_finish": {"attempts": attempts}}
        phase.save(update_fields=["status", "details"])
    connector_services.submission_record_milestone(submission=submission, name="checks_not_finished", reason=note)


def schedule_review_retry(submission_id: int, attempt: int) -> None:
    name = f"review-retry-{submission_id}-{attempt}"
    if Schedule.objects.filter(name=name).exists():
        return
    schedule(
        "review.tasks.review_submission",
        submission_id,
        name=name,
        schedule_type=Schedule.ONCE,
        next_run=timezone.now() + retry_delay(attempt),
    )


def queue_review(submission_id: int) -> None:
    async_task("review.tasks.review_submission", submission_id, task_name=f"review-{submission_id}")


# --- the engineers' part --------------------------------------------------------------


@transaction.atomic
def phase_sign_off(*, submission: Submission, phase: str, engineer, passed: bool, note: str = "") -> ReviewPhase:
    """An engineer passes or fails the security test or the code review.

    Failing one requests changes with the note at once: a failed human phase can never
    be approved, so leaving the submission in review would only make the developer wait.
    """
    if phase not in Phase.values:
        raise TransitionRefused(f"There is no review phase {phase!r}.")
    submission = connector_services.lock_version(submission.pk)
    if submission.state != ReviewState.IN_REVIEW:
        raise TransitionRefused(f"Version {submission.number} is {submission.get_state_display().lower()}, not in review.")
    row = ensure_phases(submission)[phase]
    if phase not in HUMAN_PHASES and not handed_to_engineer(row):
        raise TransitionRefused(f"Only the security test and the code review are signed off by an engineer, not {phase} "
                                "(unless its automated checks could not finish).")
    if row.status != PhaseStatus.NEEDS_REVIEW:
        raise TransitionRefused(f"The {row.get_phase_display().lower()} is {row.get_status_display().lower()}; it can be signed off only when it needs review.")
    note = (note or "").strip()
    if not passed and not note:
        raise TransitionRefused("Say what the developer should change: a failed phase needs a note.")
    row.status = PhaseStatus.PASSED if passed else PhaseStatus.FAILED
    row.engineer = engineer
    row.note = note
    row.finished_at = timezone.now()
    row.save(update_fields=["status", "engineer", "note", "finished_at"])
    if passed:
        connector_services.submission_record_milestone(
            submission=submission, name=f"{phase}_signed_off", actor=engineer, reason=note
        )
    if not passed:
        connector_services.submission_request_changes(
            submission=submission, user=engineer, note=f"{row.get_phase_display()} failed: {note}"
        )
    return row


@transaction.atomic
def submission_approve(*, submission: Submission, engineer, note: str = "") -> Submission:
    """Approve once every phase passed: the review's precondition, checked under the row lock."""
    submission = connector_services.lock_version(submission.pk)
    statuses = dict(submission.phases.values_list("phase", "status"))
    not_passed = [label.lower() for value, label in Phase.choices if statuses.get(value) != PhaseStatus.PASSED]
    if not_passed:
        raise TransitionRefused(
            f"Version {submission.number} cannot be approved yet: every phase must pass first "
            f"(not passed: {', '.join(not_passed)})."
        )
    return connector_services.submission_approve(submission=submission, user=engineer, note=note)


# --- the Additional Instructions ------------------------------------------------------


@transaction.atomic
def submission_read_instructions(*, submission: Submission, user) -> str:
    """Decrypt the Additional Instructions and log the read in the same transaction.

    The log row and the read share one transaction so there is never a read without its row.
    """
    InstructionsAccess.objects.create(submission=submission, user=user, username=user.get_username())
    return Submission.objects.filter(pk=submission.pk).values_list("instructions", flat=True).get()
