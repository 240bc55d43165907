"""Our own failure is retried, but not for ever: then the machine's phases go to an engineer."""

import pytest
from django.core import mail
from django.urls import reverse
from django_q.models import Schedule

from connectors import services
from connectors.models import ReviewState, Submission, SubmissionEvent
from portal.errors import TransitionRefused
from review import services as review_services
from review.models import Phase, PhaseStatus, ReviewPhase
from review.pipeline import jobs


@pytest.fixture
def submitted(import_connector, alice):
    return services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")


@pytest.fixture
def broken(monkeypatch):
    def fail(bundle, config):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("review.engine.review.run_review", fail)


def statuses(submission):
    return {p.phase: p.status for p in ReviewPhase.objects.filter(submission=submission)}


def fail_every_attempt(submission):
    for _ in range(review_services.MAX_ATTEMPTS):
        assert review_services.review_submission(submission.pk) == "error"


def test_it_retries_while_attempts_are_left(submitted, broken):
    for attempt in range(1, review_services.MAX_ATTEMPTS):
        review_services.review_submission(submitted.pk)
        assert set(statuses(submitted)[p] for p in review_services.MACHINE_PHASES) == {PhaseStatus.ERROR}
        assert Schedule.objects.filter(name=f"review-retry-{submitted.pk}-{attempt}").exists()


def test_after_the_last_attempt_the_machine_phases_go_to_an_engineer(submitted, broken, erin,
                                                                     django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        fail_every_attempt(submitted)
    phases = statuses(submitted)
    assert {phases[p] for p in review_services.MACHINE_PHASES} == {PhaseStatus.NEEDS_REVIEW}
    assert not Schedule.objects.filter(name=f"review-retry-{submitted.pk}-{review_services.MAX_ATTEMPTS}").exists()
    assert Submission.objects.get(pk=submitted.pk).state == ReviewState.IN_REVIEW  # never a rejection
    event = SubmissionEvent.objects.get(submission=submitted, transition="checks_not_finished")
    assert "could not finish" in event.reason
    sent = {m.to[0]: m for m in mail.outbox if m.subject.endswith("the automated checks could not finish")}
    assert set(sent) == {"alice@example.com", "erin@example.com"}
    assert "not your connector" in sent["alice@example.com"].body
    assert "/admin/" in sent["erin@example.com"].body
    # Each says why its reader receives it: the engineer is not "a member of" the company.
    assert "you are a member of" in sent["alice@example.com"].body
    assert "you are a member of" not in sent["erin@example.com"].body
    assert "you review connectors" in sent["erin@example.com"].body


def test_the_reconciler_leaves_a_handed_over_review_alone(submitted, broken, monkeypatch):
    fail_every_attempt(submitted)
    queued = []
    monkeypatch.setattr(review_services, "queue_review", queued.append)
    from datetime import timedelta

    from django.utils import timezone

    jobs.reviews_reconcile(now=timezone.now() + timedelta(days=1))
    assert submitted.pk not in queued


def test_the_developer_sees_it_plainly(submitted, broken, client, alice):
    fail_every_attempt(submitted)
    client.force_login(alice)
    body = client.get(reverse("review:status", args=[submitted.pk])).content.decode()
    assert "The automated checks could not finish" in body
    assert "not your connector" in body


def test_an_engineer_signs_off_a_handed_over_machine_phase(submitted, broken, erin):
    fail_every_attempt(submitted)
    row = review_services.phase_sign_off(submission=submitted, phase=Phase.AUTOMATED, engineer=erin, passed=True,
                                         note="Ran the checks by hand: clean.")
    assert row.status == PhaseStatus.PASSED


def test_a_machine_phase_that_finished_cannot_be_signed_off_by_hand(submitted, erin):
    review_services.review_submission(submitted.pk)
    ReviewPhase.objects.filter(submission=submitted, phase=Phase.PERFORMANCE).update(status=PhaseStatus.NEEDS_REVIEW)
    with pytest.raises(TransitionRefused):
        review_services.phase_sign_off(submission=submitted, phase=Phase.PERFORMANCE, engineer=erin, passed=True)
