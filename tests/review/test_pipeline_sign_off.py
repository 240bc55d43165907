"""Engineers sign off (or fail) the security test and the code review."""

import pytest

from connectors import services
from connectors.models import ReviewState, Submission
from portal.errors import TransitionRefused
from review import services as review_services
from review.models import Phase, PhaseStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(import_connector, alice):
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    review_services.review_submission_now(submission.pk)
    return Submission.objects.get(pk=submission.pk)


def test_it_lets_the_submission_be_approved_once_both_phases_are_signed_off(in_review, erin):
    for phase in (Phase.SECURITY, Phase.CODE_REVIEW):
        row = review_services.phase_sign_off(submission=in_review, phase=phase, engineer=erin, passed=True, note="Fine.")
        assert (row.status, row.engineer, row.note) == (PhaseStatus.PASSED, erin, "Fine.")

    approved = review_services.submission_approve(submission=in_review, engineer=erin)

    assert approved.state == ReviewState.APPROVED


def test_it_cannot_approve_with_one_phase_left(in_review, erin):
    review_services.phase_sign_off(submission=in_review, phase=Phase.SECURITY, engineer=erin, passed=True)

    with pytest.raises(TransitionRefused, match="code review"):
        review_services.submission_approve(submission=in_review, engineer=erin)
    assert Submission.objects.get(pk=in_review.pk).state == ReviewState.IN_REVIEW


def test_it_requests_changes_with_the_note_when_a_phase_fails(in_review, erin):
    review_services.phase_sign_off(
        submission=in_review, phase=Phase.CODE_REVIEW, engineer=erin, passed=False, note="Split processdata into functions."
    )

    submission = Submission.objects.get(pk=in_review.pk)
    assert submission.state == ReviewState.CHANGES_REQUESTED
    event = submission.events.get(transition="request_changes")
    assert event.actor == erin
    assert "Split processdata into functions." in event.reason
    assert submission.phases.get(phase=Phase.CODE_REVIEW).status == PhaseStatus.FAILED


def test_it_wants_a_note_when_a_phase_fails(in_review, erin):
    with pytest.raises(TransitionRefused, match="note"):
        review_services.phase_sign_off(submission=in_review, phase=Phase.SECURITY, engineer=erin, passed=False)


def test_it_refuses_to_sign_off_a_machine_phase(in_review, erin):
    with pytest.raises(TransitionRefused):
        review_services.phase_sign_off(submission=in_review, phase=Phase.AUTOMATED, engineer=erin, passed=True)


def test_it_refuses_to_sign_off_twice(in_review, erin):
    review_services.phase_sign_off(submission=in_review, phase=Phase.SECURITY, engineer=erin, passed=True)

    with pytest.raises(TransitionRefused, match="passed"):
        review_services.phase_sign_off(submission=in_review, phase=Phase.SECURITY, engineer=erin, passed=True)


def test_it_refuses_before_the_machine_finished(import_connector, alice, erin):
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")

    with pytest.raises(TransitionRefused, match="not in review"):
        review_services.phase_sign_off(submission=submission, phase=Phase.SECURITY, engineer=erin, passed=True)
