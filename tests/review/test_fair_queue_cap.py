"""The fair queue's cap: a user (and a company) may have only so many reviews queued or running.

The reviews are kept from running (tasks run inline in tests) so that each submission
stays queued, which is what the cap counts.
"""

import pytest
from django.urls import reverse

from api.services import api_token_create
from connectors import review_queue, services
from connectors.models import Connector, ReviewState, Submission
from connectors.review_queue import ReviewsBusy
from review import services as review_services
from review.models import Phase, PhaseStatus
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued_only(monkeypatch):
    """Submissions stay queued: the review task is never run."""
    queued = []
    monkeypatch.setattr(review_services, "queue_review", queued.append)
    return queued


@pytest.fixture
def connectors(import_connector):
    """connectors(n, company=None, user=None) -> n complete connectors with distinct names."""

    def make(count, **kwargs):
        made = []
        for i in range(count):
            connector = import_connector("sales-crm", **kwargs)
            Connector.objects.filter(pk=connector.pk).update(name=f"CRM {connector.pk} {i}")
            made.append(Connector.objects.get(pk=connector.pk))
        return made

    return make


def submit(connector, user):
    return services.connector_submit(connector=connector, user=user, visibility="company")


def test_a_user_past_the_cap_is_refused_with_how_many_are_running(settings, queued_only, connectors, alice):
    settings.REVIEW_QUEUE_PER_USER = 2
    first, second, third = connectors(3)
    submit(first, alice)
    submit(second, alice)
    with pytest.raises(ReviewsBusy) as refused:
        submit(third, alice)
    assert refused.value.status == 429
    assert "2 reviews of yours are queued or running" in refused.value.message
    assert "at most 2" in refused.value.message and "Wait" in refused.value.message
    assert not Submission.objects.filter(connector=third).exists()  # the refused submit left nothing


def test_a_review_whose_machine_part_finished_no_longer_counts(settings, queued_only, connectors, alice):
    settings.REVIEW_QUEUE_PER_USER = 1
    first, second = connectors(2)
    done = submit(first, alice)
    with pytest.raises(ReviewsBusy):
        submit(second, alice)
    review_services.review_submission(done.pk)  # the worker does it
    assert done.phases.get(phase=Phase.AUTOMATED).status in (PhaseStatus.PASSED, PhaseStatus.FAILED)
    submit(second, alice)


def test_a_run_in_error_waiting_for_its_retry_still_counts(settings, queued_only, connectors, alice):
    settings.REVIEW_QUEUE_PER_USER = 1
    first, second = connectors(2)
    broken = submit(first, alice)
    review_services.review_mark_error(broken.pk, "RuntimeError: our machinery")
    with pytest.raises(ReviewsBusy):
        submit(second, alice)


def test_the_company_has_a_cap_of_its_own(settings, queued_only, connectors, alice, acme, django_user_model):
    from connectors.models import Membership

    settings.REVIEW_QUEUE_PER_USER = 5
    settings.REVIEW_QUEUE_PER_COMPANY = 2
    carol = django_user_model.objects.create_user("carol", "carol@example.com", "pw")
    Membership.objects.create(user=carol, company=acme)
    a, b, c = connectors(3)
    submit(a, alice)
    submit(b, carol)
    with pytest.raises(ReviewsBusy) as refused:
        submit(c, carol)
    assert "of Acme" in refused.value.message


def test_other_users_and_companies_are_not_held_back(settings, queued_only, connectors, alice, bob, globex):
    settings.REVIEW_QUEUE_PER_USER = 1
    mine, = connectors(1)
    theirs, = connectors(1, company=globex, user=bob)
    submit(mine, alice)
    submit(theirs, bob)


def test_resubmitting_replaces_the_queued_version_instead_of_adding_one(settings, queued_only, connectors, alice):
    settings.REVIEW_QUEUE_PER_USER = 1
    connector, = connectors(1)
    first = submit(connector, alice)
    services.submission_withdraw(submission=first, user=alice)
    submit(Connector.objects.get(pk=connector.pk), alice)


def test_a_superseded_version_whose_run_is_alive_still_counts(settings, queued_only, connectors, alice):
    settings.REVIEW_QUEUE_PER_USER = 1
    connector, other = connectors(2)
    first = submit(connector, alice)
    assert isinstance(review_services._claim(first.pk), int)  # a worker is running it
    services.submission_withdraw(submission=Submission.objects.get(pk=first.pk), user=alice)
    with pytest.raises(ReviewsBusy):
        submit(other, alice)


def test_the_submit_page_says_how_many_are_running_and_to_wait(settings, queued_only, connectors, client, alice):
    settings.REVIEW_QUEUE_PER_USER = 1
    first, second = connectors(2)
    submit(first, alice)
    client.force_login(alice)
    response = client.post(reverse("connectors:submit_confirm", args=[second.pk]),
                           {"visibility": "company", "instructions": ""}, follow=True)
    page = response.content.decode()
    assert "1 review of yours is queued or running" in page and "Wait for one to finish" in page
    assert not Submission.objects.filter(connector=second).exists()


def test_the_api_answers_429(settings, queued_only, connectors, alice):
    settings.REVIEW_QUEUE_PER_USER = 1
    first, second = connectors(2)
    submit(first, alice)
    _record, token = api_token_create(user=alice, name="CI")
    response = ApiClient(token).post_json(f"/api/v1/connectors/{second.pk}/submit", {"visibility": "company"})
    assert response.status_code == 429
    assert "queued or running" in response.json()["error"]


def test_check_now_is_refused_past_the_cap_too(settings, queued_only, connectors, client, alice, monkeypatch):
    from review.views import check as check_views

    monkeypatch.setattr(check_views, "async_task", lambda *a, **kw: pytest.fail("queued past the cap"))
    settings.REVIEW_QUEUE_PER_USER = 1
    first, second = connectors(2)
    submit(first, alice)
    client.force_login(alice)
    response = client.post(reverse("review:check_now", args=[second.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 429
    assert "1 review of yours is queued or running" in response.content.decode()


def test_without_review_installed_a_submission_counts_until_its_review_starts(queued_only, connectors, alice):
    connector, = connectors(1)
    submission = submit(connector, alice)
    queued = review_queue._not_started(Submission.objects.filter(pk=submission.pk))
    assert list(queued) == [submission]
    Submission.objects.filter(pk=submission.pk).update(state=ReviewState.IN_REVIEW)
    assert not review_queue._not_started(Submission.objects.filter(pk=submission.pk)).exists()
