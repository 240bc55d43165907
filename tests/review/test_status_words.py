"""One set of words for the review, for the developer and the engineers alike (issue 12, item 6)."""

import pytest
from django.urls import reverse

from connectors import services
from connectors.models import Submission
from review.models import Phase, PhaseStatus, ReviewPhase
from review.services import phase_sign_off
from tests.conftest import approve
from tests.review.admin_support import change_url


@pytest.fixture
def in_review(import_connector, alice):
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="public")
    for phase in Phase.values:
        status = PhaseStatus.NEEDS_REVIEW if phase in (Phase.SECURITY, Phase.CODE_REVIEW) else PhaseStatus.PASSED
        ReviewPhase.objects.update_or_create(submission=submission, phase=phase, defaults={"status": status})
    services.submission_start_review(submission=submission)
    return Submission.objects.get(pk=submission.pk)


def test_it_records_a_sign_off_in_the_history_with_the_engineer(client, alice, erin, in_review):
    phase_sign_off(submission=in_review, phase=Phase.SECURITY, engineer=erin, passed=True, note="Checked the hosts.")
    event = in_review.events.get(transition="security_signed_off")
    assert (event.actor, event.reason, event.label) == (erin, "Checked the hosts.", "Security test signed off")
    client.force_login(alice)
    body = client.get(reverse("submissions:status", args=[in_review.pk])).content.decode()
    history = body[body.index('data-testid="history"'):]
    assert "Security test signed off" in history and "erin" in history
    assert "(In review → In review)" not in history  # a milestone moves no state


def test_it_uses_the_same_phase_words_for_developer_and_engineer(client, alice, erin, in_review):
    Submission.objects.filter(pk=in_review.pk).update(state="withdrawn")
    ReviewPhase.objects.filter(submission=in_review, phase=Phase.CODE_REVIEW).update(status=PhaseStatus.PENDING)
    client.force_login(alice)
    developer = client.get(reverse("submissions:status", args=[in_review.pk])).content.decode()
    client.force_login(erin)
    engineer = client.get(change_url(in_review)).content.decode()
    assert ">Not run<" in developer and "Code review: Not run" in engineer
    assert "Waiting for an engineer" in developer and "Security test: Waiting for an engineer" in engineer
    assert ">Pending<" not in developer and ": Pending" not in engineer


def test_it_links_an_approved_public_connector_to_its_data_center_page(client, alice, import_connector):
    approved = approve(services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="public"))
    client.force_login(alice)
    body = client.get(reverse("submissions:status", args=[approved.pk])).content.decode()
    assert reverse("submissions:public_connector", args=[approved.pk]) in body
    assert client.get(reverse("submissions:public_connector", args=[approved.pk])).status_code == 200


def test_it_does_not_link_a_company_connector_to_the_data_center(client, alice, import_connector):
    approved = approve(services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company"))
    client.force_login(alice)
    body = client.get(reverse("submissions:status", args=[approved.pk])).content.decode()
    assert 'data-testid="data-center-link"' not in body


def test_it_gives_the_beta_end_date_beside_self_publish(client, alice, import_connector, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.BETA_DAYS = 14
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    client.force_login(alice)
    body = client.get(reverse("submissions:status", args=[submission.pk])).content.decode()
    ends = timezone.localdate() + timedelta(days=14)
    assert f"works for 14 days, until {ends:%-d %B %Y} if you publish it now" in body
