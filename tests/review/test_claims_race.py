"""Two engineers approve the same submission at the same moment, from the same page:
exactly one approval is recorded, the other engineer is told why nothing was done.

Needs two real connections holding row locks (PostgreSQL; CI's second pass sets
DATABASE_URL), like tests/connectors/test_concurrency.py.
"""


import pytest
from django.contrib.auth.models import Group

from connectors.models import ReviewState, Submission
from portal.errors import PortalError
from portal.permissions import REVIEW_ENGINEERS_GROUP
from review import claims
from review import services as review_services
from review.models import PhaseStatus
from tests.races import race
from tests.review.admin_support import in_review

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("needs_postgres")]






@pytest.mark.parametrize("with_token", [True, False], ids=["same page", "unchecked"])
def test_two_engineers_approving_at_once_make_exactly_one_approval(
    with_token, import_connector, alice, erin, django_user_model, monkeypatch
):
    # Committed at once here (no test transaction): the machine's run must not start on its own.
    monkeypatch.setattr(review_services, "queue_review", lambda submission_id: None)
    fred = django_user_model.objects.create_user("fred", "fred@example.com", "pw", is_staff=True)
    fred.groups.add(Group.objects.get_or_create(name=REVIEW_ENGINEERS_GROUP)[0])
    submission = in_review(import_connector("sales-crm"), alice, human=PhaseStatus.PASSED)
    token = claims.review_token(Submission.objects.get(pk=submission.pk)) if with_token else None

    def approve(engineer):
        return lambda: claims.act(
            submission=submission,
            engineer=engineer,
            token=token,
            confirmed_for=None,
            check_token=with_token,  # unchecked: the transition's own refusal under the lock
            action=lambda: review_services.submission_approve(submission=submission, engineer=engineer),
        )

    outcomes = race([approve(erin), approve(fred)])
    wins = [o for o in outcomes if isinstance(o, Submission)]
    refusals = [o for o in outcomes if isinstance(o, PortalError)]
    assert (len(wins), len(refusals)) == (1, 1), outcomes
    if with_token:
        assert isinstance(refusals[0], claims.StaleReview) and "approved now" in refusals[0].message
    fresh = Submission.objects.get(pk=submission.pk)
    assert fresh.state == ReviewState.APPROVED
    assert fresh.events.filter(transition="approve").count() == 1
