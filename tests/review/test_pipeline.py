"""The machine's review run (django-q2 sync mode): phases, findings, transitions, idempotency."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Schedule

from connectors import services
from connectors.models import ReviewState, Submission
from review import services as review_services
from review.engine.findings import Finding as EngineFinding
from review.engine.findings import ReviewResult
from review.models import Finding, Phase, PhaseStatus, ReviewPhase

pytestmark = pytest.mark.django_db


@pytest.fixture
def submit(import_connector, alice, django_capture_on_commit_callbacks):
    """Import a sample bundle and submit it; the on-commit work (the review task in sync mode) runs."""

    def _submit(bundle="sales-crm", visibility="company"):
        connector = import_connector(bundle)
        with django_capture_on_commit_callbacks(execute=True):
            submission = services.connector_submit(connector=connector, user=alice, visibility=visibility)
        return Submission.objects.get(pk=submission.pk)

    return _submit


@pytest.fixture
def submitted(import_connector, alice):
    """A submission whose on-commit review did not run (as if the worker had not got to it)."""
    return services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")


def statuses(submission):
    return {p.phase: p.status for p in ReviewPhase.objects.filter(submission=submission)}


def fake_result(*findings):
    return ReviewResult(findings=list(findings), requests=[], performance=[], timings={"total": 0.01})


def test_it_runs_the_machine_phases_on_submit_and_waits_for_engineers(submit):
    submission = submit("sales-crm")

    assert submission.state == ReviewState.IN_REVIEW
    assert statuses(submission) == {
        Phase.AUTOMATED: PhaseStatus.PASSED,
        Phase.SECURITY: PhaseStatus.NEEDS_REVIEW,
        Phase.PERFORMANCE: PhaseStatus.PASSED,
        Phase.CODE_REVIEW: PhaseStatus.NEEDS_REVIEW,
    }
    performance = submission.phases.get(phase=Phase.PERFORMANCE).details["performance"]
    assert performance[0]["records"] == 1237
    assert "timings" in submission.phases.get(phase=Phase.AUTOMATED).details
    assert list(submission.events.values_list("transition", flat=True)) == ["submit", "start_review", "checks_passed"]


def test_it_requests_changes_with_the_error_findings(submit):
    submission = submit("sales-crm-xhr")

    assert submission.state == ReviewState.CHANGES_REQUESTED
    assert statuses(submission)[Phase.AUTOMATED] == PhaseStatus.FAILED
    assert statuses(submission)[Phase.CODE_REVIEW] == PhaseStatus.PENDING  # no engineer's time asked for
    rules = set(Finding.objects.filter(submission=submission).values_list("rule", flat=True))
    assert "no-xmlhttprequest" in rules
    event = submission.events.get(transition="fail_checks")
    assert event.actor is None
    assert "no-xmlhttprequest" in event.reason
    assert submission.ended_at is not None


def test_it_stores_findings_on_their_phase_rows(submitted, monkeypatch):
    monkeypatch.setattr(
        "review.engine.review.run_review",
        lambda bundle, config: fake_result(
            EngineFinding("dynamic-code", "error", "security", "processdata.js", 3, 1, "eval is not allowed."),
            EngineFinding("timeout", "error", "any", "processdata.js", None, None, "Too long."),
            EngineFinding("no-rows", "warning", "automated", "processdata.js", None, None, "No rows."),
        ),
    )
    review_services.review_submission_now(submitted.pk)

    by_phase = {p.phase: sorted(p.findings.values_list("rule", flat=True)) for p in submitted.phases.all()}
    assert by_phase[Phase.SECURITY] == ["dynamic-code"]
    assert by_phase[Phase.AUTOMATED] == ["no-rows", "timeout"]
    assert statuses(submitted)[Phase.SECURITY] == PhaseStatus.FAILED
    assert Submission.objects.get(pk=submitted.pk).state == ReviewState.CHANGES_REQUESTED


def test_it_gives_the_same_result_when_run_twice(submit):
    submission = submit("sales-crm-xhr")
    findings = Finding.objects.filter(submission=submission).count()

    assert review_services.review_submission_now(submission.pk) == "skipped"  # ended: changes requested

    assert Finding.objects.filter(submission=submission).count() == findings
    assert ReviewPhase.objects.filter(submission=submission).count() == 4
    assert submission.events.filter(transition="fail_checks").count() == 1


def test_it_does_not_run_again_once_the_machine_part_finished(submit):
    submission = submit("sales-crm")

    assert review_services.review_submission_now(submission.pk) == "done"
    assert ReviewPhase.objects.get(submission=submission, phase=Phase.AUTOMATED).attempts == 1


def test_it_does_nothing_for_a_withdrawn_submission(submitted, alice):
    services.submission_withdraw(submission=submitted, user=alice)

    assert review_services.review_submission_now(submitted.pk) == "skipped"
    assert not ReviewPhase.objects.filter(submission=submitted).exists()


def test_it_does_nothing_for_an_older_version_after_a_resubmit(submitted, alice):
    services.submission_withdraw(submission=submitted, user=alice)
    services.connector_submit(connector=submitted.connector, user=alice, visibility="company")

    assert review_services.review_submission_now(submitted.pk) == "skipped"
    assert Submission.objects.get(pk=submitted.pk).state == ReviewState.WITHDRAWN


def test_it_leaves_a_run_that_another_worker_holds(submitted):
    review_services.ensure_phases(submitted)
    ReviewPhase.objects.filter(submission=submitted).update(status=PhaseStatus.RUNNING, started_at=timezone.now(), attempts=1)

    assert review_services.review_submission_now(submitted.pk) == "busy"


def test_it_takes_over_a_run_whose_worker_died(submitted):
    review_services.ensure_phases(submitted)
    long_ago = timezone.now() - review_services.running_limit() - timedelta(seconds=1)
    ReviewPhase.objects.filter(submission=submitted).update(status=PhaseStatus.RUNNING, started_at=long_ago, attempts=1)

    assert review_services.review_submission_now(submitted.pk) == "passed"
    assert ReviewPhase.objects.get(submission=submitted, phase=Phase.AUTOMATED).attempts == 2


def test_it_discards_the_results_of_an_attempt_that_lost_its_claim(submitted, monkeypatch):
    def run_while_another_attempt_takes_over(bundle, config):
        ReviewPhase.objects.filter(submission=submitted).update(attempts=7)
        return fake_result(EngineFinding("syntax-error", "error", "automated", "processdata.js", 1, 1, "Bad."))

    monkeypatch.setattr("review.engine.review.run_review", run_while_another_attempt_takes_over)

    assert review_services.review_submission_now(submitted.pk) == "superseded"
    assert not Finding.objects.filter(submission=submitted).exists()
    assert Submission.objects.get(pk=submitted.pk).state == ReviewState.IN_REVIEW


def test_it_marks_checks_delayed_and_schedules_a_retry_when_our_code_fails(submitted, monkeypatch):
    def broken(bundle, config):
        raise RuntimeError("sandbox pool is gone")

    monkeypatch.setattr("review.engine.review.run_review", broken)
    from review import tasks

    assert tasks.review_submission(submitted.pk) == "error"

    submission = Submission.objects.get(pk=submitted.pk)
    assert submission.state == ReviewState.IN_REVIEW  # never a rejection
    machine = ReviewPhase.objects.filter(submission=submission, phase__in=review_services.MACHINE_PHASES)
    assert set(machine.values_list("status", flat=True)) == {PhaseStatus.ERROR}
    assert "sandbox pool is gone" in machine.first().details["error"]
    retry = Schedule.objects.get(name=f"review-retry-{submission.pk}-1")
    assert retry.func == "review.tasks.review_submission"
    assert retry.schedule_type == Schedule.ONCE
    assert timedelta(seconds=20) < retry.next_run - timezone.now() <= timedelta(seconds=30)


def test_it_finishes_the_review_when_the_scheduled_retry_runs(submitted, monkeypatch):
    from django_q.brokers import get_broker
    from django_q.scheduler import scheduler

    monkeypatch.setattr("review.engine.review.run_review", lambda b, c: (_ for _ in ()).throw(OSError("disk full")))
    review_services.review_submission(submitted.pk)
    monkeypatch.undo()
    Schedule.objects.filter(name__startswith="review-retry-").update(next_run=timezone.now() - timedelta(seconds=1))

    scheduler(broker=get_broker())  # sync mode: the retry runs here

    assert statuses(submitted)[Phase.AUTOMATED] == PhaseStatus.PASSED
    assert ReviewPhase.objects.get(submission=submitted, phase=Phase.AUTOMATED).attempts == 2
    assert not Schedule.objects.filter(name__startswith="review-retry-").exists()  # a ONCE schedule goes


def test_it_backs_off_between_retries():
    delays = [review_services.retry_delay(attempt).total_seconds() for attempt in range(1, 7)]

    assert delays == [30, 60, 120, 240, 3600, 3600]


def test_it_stops_the_phases_of_a_run_that_broke_after_a_withdrawal(submitted, alice, monkeypatch):
    def withdrawn_meanwhile_then_broken(bundle, config):
        services.submission_withdraw(submission=submitted, user=alice)
        raise RuntimeError("sandbox pool is gone")

    monkeypatch.setattr("review.engine.review.run_review", withdrawn_meanwhile_then_broken)

    assert review_services.review_submission(submitted.pk) == "error"

    assert set(statuses(submitted).values()) == {PhaseStatus.PENDING}
    assert not Schedule.objects.filter(name__startswith=f"review-retry-{submitted.pk}-").exists()
