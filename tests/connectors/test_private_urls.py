"""Private and beta URLs: members of the owning company only; 410 once gone; 404 for the rest."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from connectors import services
from connectors.models import Submission
from review.models import Phase, PhaseStatus, ReviewPhase


@pytest.fixture
def submission(import_connector, alice):
    return services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")


@pytest.fixture
def beta(submission, alice):
    return services.submission_self_publish(submission=submission, user=alice)


@pytest.fixture
def approved(submission):
    for phase in Phase.values:
        ReviewPhase.objects.update_or_create(submission=submission, phase=phase, defaults={"status": PhaseStatus.PASSED})
    services.submission_start_review(submission=submission)
    return services.submission_approve(submission=Submission.objects.get(pk=submission.pk), user=None)


def _beta_url(submission):
    return reverse("submissions:beta", args=[submission.beta_token])


def _private_url(submission):
    return reverse("submissions:private", args=[submission.private_token])


def test_it_shows_the_beta_to_a_member(client, alice, beta):
    client.force_login(alice)
    response = client.get(_beta_url(beta))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Example Sales CRM" in body and "Beta" in body and "Opportunities" in body
    assert f"{beta.beta_expires_at:%Y-%m-%d}" in body


def test_it_answers_404_to_another_company(client, bob, beta):
    client.force_login(bob)
    assert client.get(_beta_url(beta)).status_code == 404


def test_it_answers_404_to_an_engineer_outside_the_company(client, erin, beta):
    client.force_login(erin)
    assert client.get(_beta_url(beta)).status_code == 404


def test_it_answers_404_to_an_unknown_token(client, alice, beta):
    client.force_login(alice)
    assert client.get(reverse("submissions:beta", args=["x" * 43])).status_code == 404
    assert client.get(reverse("submissions:private", args=["x" * 43])).status_code == 404


def test_it_sends_anonymous_users_to_sign_in(client, beta):
    response = client.get(_beta_url(beta))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_answers_410_once_the_beta_is_past_its_expiry(client, alice, beta):
    # Before the scheduled job has run: the date alone ends it.
    Submission.objects.filter(pk=beta.pk).update(beta_expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(alice)
    response = client.get(_beta_url(beta))
    assert response.status_code == 410
    assert "no longer available" in response.content.decode() and "expired" in response.content.decode()


def test_it_answers_410_once_the_beta_is_expired_by_the_job(client, alice, beta):
    Submission.objects.filter(pk=beta.pk).update(beta_expires_at=timezone.now() - timedelta(minutes=1))
    services.submission_expire_beta(submission=beta)
    client.force_login(alice)
    assert client.get(_beta_url(beta)).status_code == 410


def test_it_answers_410_once_the_beta_is_closed_by_a_withdraw(client, alice, beta):
    services.submission_withdraw(submission=beta, user=alice)
    client.force_login(alice)
    response = client.get(_beta_url(beta))
    assert response.status_code == 410
    assert "closed because the submission was withdrawn" in response.content.decode()


def test_it_keeps_410_a_secret_from_another_company(client, bob, beta):
    services.submission_withdraw(submission=beta, user=None)
    client.force_login(bob)
    assert client.get(_beta_url(beta)).status_code == 404


def test_it_shows_an_approved_private_connector_to_a_member(client, alice, approved):
    client.force_login(alice)
    response = client.get(_private_url(approved))
    assert response.status_code == 200
    assert "approved for Acme only" in response.content.decode()


def test_it_hides_an_approved_private_connector_from_another_company(client, bob, approved):
    client.force_login(bob)
    assert client.get(_private_url(approved)).status_code == 404
