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
    body = client.get(reverse("review:status", args=[in_review.pk])).content.decode()
    history = body[body.index('data-testid="history"'):]
    assert "Security test signed off" in history and "erin" in history
    assert "(In review → In review)" not in history  # a milestone moves no state


def test_it_uses_the_same_phase_words_for_developer_and_engineer(client, alice, erin, in_review):
    Submission.objects.filter(pk=in_review.pk).update(state="withdrawn")
    ReviewPhase.objects.filter(submission=in_review, phase=Phase.CODE_REVIEW).update(status=PhaseStatus.PENDING)
    client.force_login(alice)
    developer = client.get(reverse("review:status", args=[in_review.pk])).content.decode()
    client.force_login(erin)
    engineer = client.get(change_url(in_review)).content.decode()
    assert ">Not reached<" in developer and "Code review: Not reached" in engineer
    # Issue 20, item 7: an ended review waits for nobody.
    assert "Not signed off: the review ended" in developer
    assert "Security test: Not signed off: the review ended" in engineer
    assert "Waiting for an engineer" not in developer and "Waiting for an engineer" not in engineer
    assert ">Pending<" not in developer and ": Pending" not in engineer


@pytest.mark.parametrize("ended", ["withdrawn", "changes_requested"])
def test_an_ended_review_says_how_each_phase_ended_and_shows_no_due_date(client, alice, erin, in_review, ended):
    from review.admin.queue import due

    Submission.objects.filter(pk=in_review.pk).update(state=ended)
    ended_review = Submission.objects.get(pk=in_review.pk)
    client.force_login(alice)
    developer = client.get(reverse("review:status", args=[in_review.pk])).content.decode()
    assert developer.count('data-status="not-decided"') == 2 and "Waiting for an engineer" not in developer
    assert '<dt class="col-5">Due</dt>' not in developer
    assert ended_review.due_at is not None and due(ended_review) == "-"


def test_the_security_tests_automated_part_runs_with_the_machine_and_the_admin_says_what_finished(
        client, alice, erin, in_review):
    ReviewPhase.objects.filter(submission=in_review, phase=Phase.SECURITY).update(status=PhaseStatus.RUNNING)
    client.force_login(alice)
    developer = client.get(reverse("review:status", args=[in_review.pk])).content.decode()
    assert ">Automated checks running<" in developer and ">Running<" not in developer.split('data-phase="security"')[1][:600]
    from django.utils import timezone

    ReviewPhase.objects.filter(submission=in_review, phase=Phase.SECURITY).update(
        status=PhaseStatus.NEEDS_REVIEW, finished_at=timezone.now())
    client.force_login(erin)
    engineer = client.get(change_url(in_review)).content.decode()
    security = engineer[engineer.index('id="phase-security"'):][:800]
    assert "Waiting for an engineer" in security and "automated checks finished" in security


def test_it_links_an_approved_public_connector_to_its_data_center_page(client, alice, import_connector):
    approved = approve(services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="public"))
    client.force_login(alice)
    body = client.get(reverse("review:status", args=[approved.pk])).content.decode()
    assert reverse("submissions:public_connector", args=[approved.pk]) in body
    assert client.get(reverse("submissions:public_connector", args=[approved.pk])).status_code == 200


def test_it_does_not_link_a_company_connector_to_the_data_center(client, alice, import_connector):
    approved = approve(services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company"))
    client.force_login(alice)
    body = client.get(reverse("review:status", args=[approved.pk])).content.decode()
    assert 'data-testid="data-center-link"' not in body


def test_it_gives_the_beta_end_date_beside_self_publish(client, alice, import_connector, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.BETA_DAYS = 14
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    client.force_login(alice)
    body = client.get(reverse("review:status", args=[submission.pk])).content.decode()
    ends = timezone.localdate() + timedelta(days=14)
    assert f"works for 14 days, until {ends:%-d %B %Y} if you publish it now" in body
