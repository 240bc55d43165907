"""The fair queue's order: a user's second review at once waits behind other users' waiting ones."""

import pytest
from django_q.conf import Conf

from connectors import services
from connectors.models import Connector, ReviewState, Submission
from review import services as review_services
from review.models import Phase, PhaseStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(monkeypatch, settings):
    """Reviews are queued, not run inline, and what is queued again is recorded."""
    settings.REVIEW_QUEUE_PER_USER = 5
    settings.REVIEW_RUNNING_PER_USER = 1
    monkeypatch.setattr(review_services, "queue_review", lambda submission_id: None)
    monkeypatch.setattr(Conf, "SYNC", False)
    monkeypatch.setattr(review_services, "DEFER_PAUSE_SECONDS", 0)
    requeued = []
    monkeypatch.setattr(review_services, "async_task", lambda *args, **kwargs: requeued.append(args))
    return requeued


def _submitted(import_connector, user, company=None, name=None):
    connector = import_connector("sales-crm", company=company, user=user)
    Connector.objects.filter(pk=connector.pk).update(name=name or f"CRM {connector.pk}")
    connector = Connector.objects.get(pk=connector.pk)
    return services.connector_submit(connector=connector, user=user, visibility="company")


def test_a_users_second_review_goes_back_behind_another_users_waiting_one(queue, import_connector, alice, bob, globex):
    first = _submitted(import_connector, alice)
    assert isinstance(review_services._claim(first.pk), int)  # alice's first review is running
    second = _submitted(import_connector, alice)
    _submitted(import_connector, bob, company=globex)  # bob's waits for a worker
    assert review_services.review_submission_now(second.pk) == "deferred"
    assert queue == [("review.tasks.review_submission", second.pk, 1)]
    assert Submission.objects.get(pk=second.pk).state == ReviewState.SUBMITTED  # not claimed
    assert not Submission.objects.get(pk=second.pk).phases.filter(status=PhaseStatus.RUNNING).exists()


def test_a_users_second_review_waits_for_the_first_even_with_nobody_waiting_yet(queue, import_connector, alice):
    # Whoever submits next finds a free worker: the slow reviews of one user never take both.
    first = _submitted(import_connector, alice)
    review_services._claim(first.pk)
    second = _submitted(import_connector, alice)
    assert review_services.review_submission_now(second.pk) == "deferred"


def test_a_user_may_run_more_at_once_when_the_setting_says_so(queue, settings, import_connector, alice):
    settings.REVIEW_RUNNING_PER_USER = 2
    first = _submitted(import_connector, alice)
    review_services._claim(first.pk)
    second = _submitted(import_connector, alice)
    assert review_services.review_submission_now(second.pk) in ("passed", "failed")
    assert queue == []


def test_a_company_colleague_runs_at_once_when_no_other_company_waits(queue, import_connector, alice, acme,
                                                                     django_user_model):
    from connectors.models import Membership

    carol = django_user_model.objects.create_user("carol", "carol@example.com", "pw")
    Membership.objects.create(user=carol, company=acme)
    first = _submitted(import_connector, alice)
    review_services._claim(first.pk)
    carols = _submitted(import_connector, carol)
    assert review_services.review_submission_now(carols.pk) in ("passed", "failed")


def test_a_first_review_never_waits(queue, import_connector, alice, bob, globex):
    mine = _submitted(import_connector, alice)
    _submitted(import_connector, bob, company=globex)
    assert review_services.review_submission_now(mine.pk) in ("passed", "failed")


def test_it_waits_a_bounded_number_of_times(queue, import_connector, alice, bob, globex):
    first = _submitted(import_connector, alice)
    review_services._claim(first.pk)
    second = _submitted(import_connector, alice)
    _submitted(import_connector, bob, company=globex)
    result = review_services.review_submission_now(second.pk, deferred=review_services.MAX_DEFERRALS)
    assert result in ("passed", "failed") and queue == []
    assert Submission.objects.get(pk=second.pk).phases.get(phase=Phase.AUTOMATED).status in (
        PhaseStatus.PASSED, PhaseStatus.FAILED)


def test_the_company_counts_as_one_too(queue, import_connector, alice, acme, bob, globex, django_user_model):
    from connectors.models import Membership

    carol = django_user_model.objects.create_user("carol", "carol@example.com", "pw")
    Membership.objects.create(user=carol, company=acme)
    first = _submitted(import_connector, alice)
    review_services._claim(first.pk)
    carols = _submitted(import_connector, carol)
    _submitted(import_connector, bob, company=globex)
    assert review_services.review_submission_now(carols.pk) == "deferred"
