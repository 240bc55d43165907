"""Two transitions racing on one submission: exactly one wins, the other is refused.

Needs two real connections holding row locks, which is what PostgreSQL gives; CI runs
the suite on PostgreSQL, where this test runs (on SQLite the writes are serialised
by IMMEDIATE transactions instead).
"""


import pytest

from connectors import services
from connectors.models import ReviewState, Submission
from portal.errors import TransitionRefused
from tests.races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("needs_postgres")]






def test_it_lets_exactly_one_of_two_withdrawals_win(import_connector, alice):
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    outcomes = race([lambda: services.submission_withdraw(submission=submission, user=alice)] * 2)
    wins = [o for o in outcomes if isinstance(o, Submission)]
    refusals = [o for o in outcomes if isinstance(o, TransitionRefused)]
    assert (len(wins), len(refusals)) == (1, 1), outcomes
    assert Submission.objects.get(pk=submission.pk).events.filter(transition="withdraw").count() == 1


def test_it_keeps_a_consistent_history_when_withdraw_and_start_review_race(import_connector, alice):
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    outcomes = race(
        [
            lambda: services.submission_withdraw(submission=submission, user=alice),
            lambda: services.submission_start_review(submission=submission),
        ]
    )
    # Either order is valid (withdraw is allowed from in_review too; the review task may
    # even have started the review already), but no writer may overwrite another: every
    # history row starts where the one before it ended.
    assert not any(isinstance(o, Exception) and not isinstance(o, TransitionRefused) for o in outcomes), outcomes
    assert isinstance(outcomes[0], Submission), outcomes
    final = Submission.objects.get(pk=submission.pk)
    review_events = [e for e in final.events.all() if e.field == "state"]
    assert [e.source for e in review_events[1:]] == [e.target for e in review_events[:-1]]
    assert [e.transition for e in review_events].count("start_review") <= 1
    assert review_events[-1].transition == "withdraw" and final.state == ReviewState.WITHDRAWN


def test_it_lets_exactly_one_of_two_self_publishes_win(import_connector, alice):
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    outcomes = race([lambda: services.submission_self_publish(submission=submission, user=alice)] * 2)
    assert sum(isinstance(o, Submission) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, TransitionRefused) for o in outcomes) == 1, outcomes
