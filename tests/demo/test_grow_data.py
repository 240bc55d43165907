"""grow_data: the load bench's data, spread like a real portal and consistent with what
the services would have written."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from connectors.models import Company, Connector, ReviewState, Submission, SubmissionEvent
from review.models import ReviewPhase


@pytest.fixture
def grown(db, settings):
    settings.REVIEW_LATENCY_SECONDS = 0
    call_command("grow_data", "--connectors", "40", "--companies", "4", "--acme", "13", "--password", "pw")


def test_it_spreads_the_connectors_over_the_companies_with_acme_as_asked(grown):
    counts = dict(Company.objects.annotate(n=Count("connectors")).values_list("name", "n"))
    assert counts == {"Acme": 13, "Load Company 001": 9, "Load Company 002": 9, "Load Company 003": 9}


def test_it_lists_exactly_the_newest_approved_public_versions(grown):
    from connectors.services.history import sync_listing

    listed = set(Submission.objects.filter(listed=True).values_list("pk", flat=True))
    assert listed
    for submission in Submission.objects.all():
        sync_listing(submission)  # what the services would compute
    assert set(Submission.objects.filter(listed=True).values_list("pk", flat=True)) == listed


def test_it_makes_every_state_with_its_history_and_review(grown):
    states = set(Submission.objects.values_list("state", flat=True))
    assert {ReviewState.APPROVED, ReviewState.SUBMITTED, ReviewState.IN_REVIEW, ReviewState.CHANGES_REQUESTED} <= states
    assert Connector.objects.filter(submissions__isnull=True).exists()  # drafts
    approved = Submission.objects.filter(state=ReviewState.APPROVED).first()
    assert list(SubmissionEvent.objects.filter(submission=approved).values_list("transition", flat=True)) == [
        "submit", "start_review", "approve"]
    assert ReviewPhase.objects.filter(submission=approved).count() == 4


def test_it_lets_its_developers_and_engineer_sign_in_with_the_password_given(grown, client):
    assert client.login(username="dev-acme", password="pw")
    assert client.get("/develop/").status_code == 200
    assert client.login(username="load-engineer", password="pw")


def test_it_adds_nothing_when_run_again(grown):
    before = Connector.objects.count(), Submission.objects.count()
    call_command("grow_data", "--connectors", "40", "--companies", "4", "--acme", "13")
    assert (Connector.objects.count(), Submission.objects.count()) == before
