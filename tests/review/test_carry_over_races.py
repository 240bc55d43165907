"""Carry-over racing a take-down (issue 21, item 3): the sign-offs of a version being taken
down never carry over to a version approved after it, and the race never deadlocks.

PostgreSQL row locks, as tests/connectors/test_concurrency.py (CI runs it with DATABASE_URL set).
"""

import pytest

from connectors import services
from connectors.bundle.reader import read_bundle
from connectors.models import Connector, ReviewState, Submission, SubmissionEvent
from review import services as review_services
from review.engine import EngineConfig, run_review
from review.models import Phase, PhaseStatus, ReviewPhase
from tests.races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("needs_postgres")]


@pytest.fixture(autouse=True)
def no_queued_review(monkeypatch):
    # Outside a test transaction the submit's review would run on commit; here each step is run by hand.
    monkeypatch.setattr(review_services, "queue_review", lambda submission_id: None)


def _approved(connector, alice, erin) -> Submission:
    submission = services.connector_submit(connector=connector, user=alice, visibility="company")
    services.submission_start_review(submission=submission)
    for phase in Phase.values:
        ReviewPhase.objects.update_or_create(submission=submission, phase=phase,
                                             defaults={"status": PhaseStatus.PASSED, "engineer": erin})
    return services.submission_approve(submission=Submission.objects.get(pk=submission.pk), user=erin)


def _run_but_not_stored(connector, alice):
    """The same code submitted again, its machine run done and about to be stored."""
    Connector.objects.filter(pk=connector.pk).update(description="New words.")
    submission = services.connector_submit(connector=Connector.objects.get(pk=connector.pk), user=alice,
                                           visibility="company")
    attempt = review_services._claim(submission.pk)
    result = run_review(read_bundle(bytes(submission.bundle)), EngineConfig.from_settings())
    return submission, lambda: review_services._store(submission.pk, attempt, result)


def test_a_take_down_of_the_connector_racing_the_carry_over_leaves_nothing_approved(import_connector, alice, erin):
    connector = import_connector("sales-crm")
    first = _approved(connector, alice, erin)
    second, store = _run_but_not_stored(connector, alice)

    outcomes = race([store, lambda: services.connector_take_down(connector=connector, user=erin, reason="Malware.")])

    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    states = {s.pk: s.state for s in Submission.objects.filter(pk__in=[first.pk, second.pk])}
    assert ReviewState.APPROVED not in states.values(), states


def test_a_take_down_of_the_version_racing_the_carry_over_comes_first_or_after(import_connector, alice, erin):
    connector = import_connector("sales-crm")
    first = _approved(connector, alice, erin)
    second, store = _run_but_not_stored(connector, alice)

    outcomes = race([store, lambda: services.submission_take_down(submission=first, user=erin, reason="Leaks.")])

    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    assert Submission.objects.get(pk=first.pk).state == ReviewState.TAKEN_DOWN
    events = SubmissionEvent.objects.filter(transition__in=["auto_approve", "take_down"]).order_by("pk")
    order = [e.transition for e in events]
    # Carried over only from a version still approved: the approval came before the take-down.
    assert order in (["take_down"], ["auto_approve", "take_down"]), order
