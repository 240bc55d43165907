"""After approval, racing: two engineers approving, a take-down while another engineer approves.

PostgreSQL row locks, as tests/connectors/test_concurrency.py (CI runs it with DATABASE_URL set).
"""

import pytest
from django.contrib.auth.models import Group

from connectors import selectors, services
from connectors.models import ReviewState, Submission
from portal.errors import TransitionRefused
from portal.permissions import REVIEW_ENGINEERS_GROUP
from review.models import Phase, PhaseStatus, ReviewPhase
from tests.races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("needs_postgres", "no_carry_over")]


@pytest.fixture
def frank(django_user_model):
    user = django_user_model.objects.create_user("frank", "frank@example.com", "pw", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=REVIEW_ENGINEERS_GROUP)[0])
    return user


def _ready_to_approve(connector, alice):
    # Outside a test transaction the submit's review runs on commit (sync django-q2): the
    # review may have started already; the phases are then passed over whatever it found.
    submission = services.connector_submit(connector=connector, user=alice, visibility="public")
    if Submission.objects.get(pk=submission.pk).state == ReviewState.SUBMITTED:
        services.submission_start_review(submission=submission)
    for phase in Phase.values:
        ReviewPhase.objects.update_or_create(submission=submission, phase=phase, defaults={"status": PhaseStatus.PASSED})
    return Submission.objects.get(pk=submission.pk)


def _approved(connector, alice):
    return services.submission_approve(submission=_ready_to_approve(connector, alice), user=None)


def _consistent(submission):
    rows = [e for e in Submission.objects.get(pk=submission.pk).events.all() if e.field == "state"]
    return [e.source for e in rows[1:]] == [e.target for e in rows[:-1]]


def test_two_engineers_approving_at_once_approve_once(import_connector, alice, erin, frank):
    submission = _ready_to_approve(import_connector("sales-crm"), alice)
    outcomes = race([lambda: services.submission_approve(submission=submission, user=erin),
                      lambda: services.submission_approve(submission=submission, user=frank)])
    assert sum(isinstance(o, Submission) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, TransitionRefused) for o in outcomes) == 1, outcomes
    assert Submission.objects.get(pk=submission.pk).events.filter(transition="approve").count() == 1
    assert _consistent(submission)


def test_a_take_down_racing_an_approval_leaves_nothing_listed(import_connector, alice, erin, frank):
    connector = import_connector("sales-crm")
    listed = _approved(connector, alice)
    pending = _ready_to_approve(connector, alice)
    outcomes = race([lambda: services.connector_take_down(connector=connector, user=erin, reason="Malware."),
                      lambda: services.submission_approve(submission=pending, user=frank)])
    assert isinstance(outcomes[0], list), outcomes  # the take-down always goes through
    pending = Submission.objects.get(pk=pending.pk)
    if isinstance(outcomes[1], Submission):  # approved first, then taken down with the rest
        assert pending.state == ReviewState.TAKEN_DOWN
    else:  # taken down first: the review was stopped, so the approval is refused
        assert isinstance(outcomes[1], TransitionRefused), outcomes
        assert pending.state == ReviewState.WITHDRAWN
    assert Submission.objects.get(pk=listed.pk).state == ReviewState.TAKEN_DOWN
    assert not selectors.data_center_list().filter(connector=connector).exists()
    assert _consistent(pending) and _consistent(listed)


def test_two_take_downs_of_one_version_record_one(import_connector, alice, erin, frank):
    public_approved = _approved(import_connector("sales-crm"), alice)
    outcomes = race([lambda: services.submission_take_down(submission=public_approved, user=erin, reason="A."),
                      lambda: services.submission_take_down(submission=public_approved, user=frank, reason="B.")])
    assert sum(isinstance(o, Submission) for o in outcomes) == 1, outcomes
    assert Submission.objects.get(pk=public_approved.pk).events.filter(transition="take_down").count() == 1
