"""Roll back, racing: a roll back while another engineer takes the connector down, two roll backs at once.

PostgreSQL row locks, as tests/connectors/test_concurrency.py (CI runs it with DATABASE_URL set).
"""

import pytest

from connectors import selectors, services
from connectors.models import ReviewState, Submission
from portal.errors import TransitionRefused
from tests.connectors.test_listing_races import _approved, _consistent, frank  # noqa: F401 - a fixture
from tests.races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("needs_postgres", "no_carry_over")]


def test_a_roll_back_racing_a_take_down_leaves_nothing_listed(import_connector, alice, erin, frank):
    connector = import_connector("sales-crm")
    v1, v2 = _approved(connector, alice), _approved(connector, alice)
    outcomes = race([lambda: services.connector_take_down(connector=connector, user=erin, reason="Malware."),
                      lambda: services.submission_roll_back_to(submission=v1, user=frank, reason="v2 is broken.")])
    assert isinstance(outcomes[0], list), outcomes  # the take-down always goes through
    v1, v2 = (Submission.objects.get(pk=v.pk) for v in (v1, v2))
    assert v1.state == ReviewState.TAKEN_DOWN
    if isinstance(outcomes[1], list):  # rolled back first: the take-down found v1 the one in use
        assert v2.state == ReviewState.ROLLED_BACK
    else:  # taken down first: nothing approved is left to roll back to
        assert isinstance(outcomes[1], TransitionRefused), outcomes
        assert v2.state == ReviewState.TAKEN_DOWN
    assert not selectors.data_center_list().filter(connector=connector).exists()
    assert _consistent(v1) and _consistent(v2)


def test_two_roll_backs_at_once_roll_back_once(import_connector, alice, erin, frank):
    connector = import_connector("sales-crm")
    v1, v2 = _approved(connector, alice), _approved(connector, alice)
    outcomes = race([lambda: services.submission_roll_back_to(submission=v1, user=erin, reason="A."),
                      lambda: services.submission_roll_back_to(submission=v1, user=frank, reason="B.")])
    assert sum(isinstance(o, list) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, TransitionRefused) for o in outcomes) == 1, outcomes
    assert Submission.objects.get(pk=v2.pk).events.filter(transition="roll_back").count() == 1
    assert Submission.objects.get(pk=v1.pk).events.filter(transition="rolled_back_to").count() == 1
