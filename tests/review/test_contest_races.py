"""Contests racing (issue 21, item 5): a contest arriving while an engineer approves, two
contests at once, a reversal racing a plain re-list. PostgreSQL row locks, as
tests/connectors/test_concurrency.py (CI runs it with DATABASE_URL set)."""

import pytest

from connectors import services
from connectors.models import ReviewState, Submission
from portal.errors import PortalError, TransitionRefused
from review import services as review_services
from review.contests import contest_answer, contest_open
from review.models import Contest, PhaseStatus
from tests.races import race
from tests.review.admin_support import in_review

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("needs_postgres")]


@pytest.fixture(autouse=True)
def _no_engine(monkeypatch):
    monkeypatch.setattr(review_services, "queue_review", lambda submission_id: None)  # the tests set the phases


def _reload(submission):
    return Submission.objects.get(pk=submission.pk)


def test_a_contest_arriving_while_an_engineer_approves_is_refused(import_connector, alice, erin):
    # Sent back, contested, reversed: back in review with every phase passed, ready to approve.
    submission = services.submission_request_changes(
        submission=in_review(import_connector("sales-crm"), alice), user=erin, note="Use v2.")
    contest_open(submission=submission, user=alice, body="v1 is the only one.")
    contest_answer(submission=submission, user=erin, reverse=True, body="Agreed.")
    submission.phases.update(status=PhaseStatus.PASSED)
    outcomes = race([lambda: review_services.submission_approve(submission=submission, engineer=erin),
                      lambda: contest_open(submission=submission, user=alice, body="From a stale page.")])
    assert isinstance(outcomes[0], Submission), outcomes  # the approval always goes through
    assert isinstance(outcomes[1], PortalError) and "no decision to contest" in outcomes[1].message, outcomes
    assert _reload(submission).state == ReviewState.APPROVED
    assert Contest.objects.count() == 1 and not Contest.objects.filter(outcome="").exists()


def test_two_contests_at_once_record_one(import_connector, alice, erin):
    submission = services.submission_request_changes(
        submission=in_review(import_connector("sales-crm"), alice), user=erin, note="Use v2.")
    outcomes = race([lambda: contest_open(submission=submission, user=alice, body="First.")] * 2)
    assert sum(isinstance(o, Contest) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, PortalError) for o in outcomes) == 1, outcomes
    assert Contest.objects.count() == 1
    assert _reload(submission).events.filter(transition="developer_contested").count() == 1


def test_a_reversal_racing_a_relist_relists_once(public_approved, alice, erin):
    services.submission_take_down(submission=public_approved, user=erin, reason="Malware.")
    contest_open(submission=public_approved, user=alice, body="It is not.")
    outcomes = race([
        lambda: contest_answer(submission=public_approved, user=erin, reverse=True, body="Agreed."),
        lambda: services.submission_relist(submission=public_approved, user=erin, reason="Fixed."),
    ])
    assert _reload(public_approved).state == ReviewState.APPROVED
    assert _reload(public_approved).events.filter(transition="relist").count() == 1
    if isinstance(outcomes[0], Contest):  # reversed first: the plain re-list finds it approved
        assert isinstance(outcomes[1], TransitionRefused), outcomes
    else:  # re-listed first: nothing to reverse, the contest waits for "the decision stands"
        assert isinstance(outcomes[0], PortalError) and isinstance(outcomes[1], Submission), outcomes
        assert Contest.objects.get().outcome == ""
