"""The scheduled jobs as tasks (sync mode): beta expiry, reminders, purge, reconciler."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_q.tasks import async_task

from connectors import selectors, services
from connectors.models import BetaState, Connector, ReviewState, Submission
from review import services as review_services
from review import tasks
from review.models import Phase, PhaseStatus, ReviewPhase
from review.pipeline import jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def beta(import_connector, alice):
    """An active beta of a submitted sales-crm; expires_in moves its expiry."""

    def _beta(expires_in=timedelta(days=10)):
        submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
        services.submission_self_publish(submission=submission, user=alice)
        Submission.objects.filter(pk=submission.pk).update(beta_expires_at=timezone.now() + expires_in)
        return Submission.objects.get(pk=submission.pk)

    return _beta


def test_it_expires_every_beta_past_its_expiry_in_one_run(beta):
    due = [beta(timedelta(minutes=-5)) for _ in range(3)]
    live = beta(timedelta(hours=1))

    assert async_task("review.tasks.expire_betas", sync=True) is not None

    for submission in due:
        submission.refresh_from_db()
        assert submission.beta_state == BetaState.EXPIRED
        event = submission.events.get(transition="expire")
        assert (event.source, event.target, event.actor) == (BetaState.ACTIVE, BetaState.EXPIRED, None)
    live.refresh_from_db()
    assert live.beta_state == BetaState.ACTIVE


def test_it_does_nothing_on_a_second_expiry_run(beta):
    submission = beta(timedelta(minutes=-5))
    assert tasks.expire_betas() == 1

    assert tasks.expire_betas() == 0
    assert submission.events.filter(transition="expire").count() == 1


def test_it_announces_each_expiry_once(beta, django_capture_on_commit_callbacks):
    from connectors.signals import submission_events

    submission = beta(timedelta(minutes=-5))
    seen = []

    def listener(sender, event_ids, **kwargs):
        seen.extend(event_ids)

    submission_events.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            tasks.expire_betas()
    finally:
        submission_events.disconnect(listener)

    assert seen == [submission.events.get(transition="expire").pk]
    assert len([m for m in mail.outbox if "has expired" in m.subject]) == 1


def test_it_skips_rows_another_run_expired_between_its_select_and_its_update(beta, monkeypatch):
    """Two overlapping runs: B runs to completion while A holds a stale list of candidates."""
    submissions = [beta(timedelta(minutes=-5)) for _ in range(4)]
    real_candidates = selectors.unclaimed_ids
    calls = []

    def candidates_then_let_the_other_run_finish(qs, limit):
        ids = real_candidates(qs, limit)
        calls.append(ids)
        if len(calls) == 1:  # run A has its list; run B now does everything
            monkeypatch.setattr(selectors, "unclaimed_ids", real_candidates)
            assert services.betas_expire_due() == 4
        return ids

    monkeypatch.setattr(selectors, "unclaimed_ids", candidates_then_let_the_other_run_finish)

    assert services.betas_expire_due() == 0  # run A claimed nothing

    for submission in submissions:
        assert submission.events.filter(transition="expire").count() == 1


def test_it_sends_each_reminder_once(beta):
    three_days = beta(timedelta(days=2, hours=12))
    one_day = beta(timedelta(hours=12))
    far = beta(timedelta(days=9))

    assert jobs.betas_send_reminders() == {3: 1, 1: 1}
    assert jobs.betas_send_reminders() == {3: 0, 1: 0}

    for submission in (three_days, one_day, far):
        submission.refresh_from_db()
    assert three_days.beta_reminded_3d_at and not three_days.beta_reminded_1d_at
    assert one_day.beta_reminded_1d_at and not one_day.beta_reminded_3d_at
    assert not far.beta_reminded_3d_at and not far.beta_reminded_1d_at


def test_it_sends_the_one_day_reminder_after_the_three_day_one(beta):
    submission = beta(timedelta(days=2, hours=12))
    jobs.betas_send_reminders()

    jobs.betas_send_reminders(now=timezone.now() + timedelta(days=2))

    submission.refresh_from_db()
    assert submission.beta_reminded_3d_at and submission.beta_reminded_1d_at


def test_it_does_not_remind_about_a_closed_beta(beta, alice):
    submission = beta(timedelta(hours=12))
    services.submission_withdraw(submission=submission, user=alice)

    assert jobs.betas_send_reminders() == {3: 0, 1: 0}


@pytest.fixture
def ended(import_connector, alice, settings):
    """A withdrawn submission with instructions whose connector has a client secret, ended `ago`."""

    def _ended(ago):
        connector = import_connector("sales-crm")
        submission = services.connector_submit(
            connector=connector, user=alice, visibility="company", instructions="login: reviewer / pw-123"
        )
        services.submission_withdraw(submission=submission, user=alice)
        services.connector_update(connector=connector, user=alice, oauth2_client_secret="client-secret-xyz")
        past = timezone.now() - ago
        Submission.objects.filter(pk=submission.pk).update(ended_at=past)
        Connector.objects.filter(pk=connector.pk).update(updated_at=past)
        return submission

    return _ended


def test_it_purges_the_secrets_of_reviews_that_ended_long_ago(ended, settings):
    settings.PURGE_AFTER_DAYS = 30
    old = ended(timedelta(days=31))
    recent = ended(timedelta(days=29))

    assert tasks.purge_secrets() == {"instructions": 1, "client_secrets": 1}

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.instructions, old.connector.oauth2_client_secret) == ("", "")
    assert old.secrets_purged_at is not None
    assert recent.instructions == "login: reviewer / pw-123"
    assert recent.connector.oauth2_client_secret == "client-secret-xyz"
    assert tasks.purge_secrets() == {"instructions": 0, "client_secrets": 0}


def test_it_keeps_a_client_secret_a_newer_open_submission_needs(ended, alice):
    old = ended(timedelta(days=40))
    services.connector_submit(connector=old.connector, user=alice, visibility="company")

    assert tasks.purge_secrets() == {"instructions": 1, "client_secrets": 0}


def test_it_requeues_a_run_whose_worker_died(import_connector, alice):
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    review_services.ensure_phases(submission)
    long_ago = timezone.now() - review_services.running_limit() - timedelta(seconds=5)
    ReviewPhase.objects.filter(submission=submission).update(status=PhaseStatus.RUNNING, started_at=long_ago, attempts=1)

    assert tasks.reconcile_reviews() == 1  # sync mode: the re-queued run happens here

    phase = ReviewPhase.objects.get(submission=submission, phase=Phase.AUTOMATED)
    assert (phase.status, phase.attempts) == (PhaseStatus.PASSED, 2)
    assert tasks.reconcile_reviews() == 0


def test_it_requeues_a_submit_whose_task_never_reached_the_queue(import_connector, alice):
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    Submission.objects.filter(pk=submission.pk).update(submitted_at=timezone.now() - timedelta(minutes=10))

    assert tasks.reconcile_reviews() == 1

    assert Submission.objects.get(pk=submission.pk).state == ReviewState.IN_REVIEW


def test_it_leaves_running_reviews_and_fresh_submits_alone(import_connector, alice):
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    assert tasks.reconcile_reviews() == 0
    review_services.ensure_phases(submission)
    ReviewPhase.objects.filter(submission=submission).update(status=PhaseStatus.RUNNING, started_at=timezone.now())

    assert tasks.reconcile_reviews() == 0


def test_it_stops_a_dead_run_of_a_withdrawn_submission(import_connector, alice):
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    review_services.ensure_phases(submission)
    long_ago = timezone.now() - review_services.running_limit() - timedelta(seconds=5)
    ReviewPhase.objects.filter(submission=submission, phase=Phase.AUTOMATED).update(
        status=PhaseStatus.RUNNING, started_at=long_ago, attempts=1
    )
    services.submission_withdraw(submission=submission, user=alice)

    assert tasks.reconcile_reviews() == 0

    assert ReviewPhase.objects.get(submission=submission, phase=Phase.AUTOMATED).status == PhaseStatus.PENDING
