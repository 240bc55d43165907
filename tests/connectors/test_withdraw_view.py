"""Withdraw from the status window: POST only, members only, refusals as messages."""

import pytest
from django.urls import reverse

from connectors import services
from connectors.models import BetaState, ReviewState, Submission


@pytest.fixture
def submission(import_connector, alice):
    return services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")


def _url(submission):
    return reverse("submissions:withdraw", args=[submission.pk])


def test_it_withdraws_and_redirects_to_the_status_window(client, alice, submission):
    client.force_login(alice)
    response = client.post(_url(submission), {"reason": "Found a bug."}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("review:status", args=[submission.pk])
    submission.refresh_from_db()
    assert submission.state == ReviewState.WITHDRAWN
    body = response.content.decode()
    assert "was withdrawn" in body and "Found a bug." in body


def test_it_closes_the_beta_too(client, alice, submission):
    services.submission_self_publish(submission=submission, user=alice)
    client.force_login(alice)
    client.post(_url(submission))
    assert Submission.objects.get(pk=submission.pk).beta_state == BetaState.CLOSED


def test_it_shows_a_refusal_as_a_message(client, alice, submission):
    services.submission_withdraw(submission=submission, user=alice)
    client.force_login(alice)
    response = client.post(_url(submission), follow=True)
    assert response.status_code == 200
    assert "Cannot withdraw version 1" in response.content.decode()


def test_it_refuses_get(client, alice, submission):
    client.force_login(alice)
    assert client.get(_url(submission)).status_code == 405
    assert Submission.objects.get(pk=submission.pk).state == ReviewState.SUBMITTED


def test_it_answers_404_to_another_company(client, bob, submission):
    client.force_login(bob)
    assert client.post(_url(submission)).status_code == 404
    assert Submission.objects.get(pk=submission.pk).state == ReviewState.SUBMITTED


def test_it_sends_anonymous_users_to_sign_in(client, submission):
    assert client.post(_url(submission)).status_code == 302
    assert Submission.objects.get(pk=submission.pk).state == ReviewState.SUBMITTED
