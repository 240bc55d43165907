"""Self Publish from the status window: the beta dialog, or the reasons it is refused."""

import pytest
from django.urls import reverse

from connectors import services
from connectors.models import BetaState, Submission


def _submit(import_connector, alice, bundle="sales-crm", visibility="company"):
    connector = import_connector(bundle)
    instructions = "tester / secret" if connector.uses_oauth2 else ""
    return services.connector_submit(connector=connector, user=alice, visibility=visibility, instructions=instructions)


def _url(submission):
    return reverse("submissions:self_publish", args=[submission.pk])


def test_it_publishes_and_opens_the_dialog_with_url_and_expiry(client, alice, import_connector):
    submission = _submit(import_connector, alice)
    client.force_login(alice)
    response = client.post(_url(submission))
    assert response.status_code == 302
    assert response["Location"] == reverse("review:status", args=[submission.pk]) + "?beta=published"
    beta = Submission.objects.get(pk=submission.pk)
    assert beta.beta_state == BetaState.ACTIVE
    body = client.get(response["Location"]).content.decode()
    assert 'id="beta-dialog"' in body and "data-open-on-load" in body
    assert 'data-copy-target="#beta-dialog-url"' in body
    assert f'value="http://testserver{reverse("submissions:beta", args=[beta.beta_token])}"' in body
    assert f"{beta.beta_expires_at:%Y-%m-%d}" in body


@pytest.mark.parametrize(
    "bundle,visibility,needle",
    [
        ("sales-crm", "public", "this one is public"),
        ("oauth2-tasks", "company", "OAuth 2.0"),
        ("workspaces-discovery", "company", "discovery parameter"),
    ],
)
def test_it_shows_the_refusal_as_a_message(client, alice, import_connector, bundle, visibility, needle):
    submission = _submit(import_connector, alice, bundle, visibility)
    client.force_login(alice)
    response = client.post(_url(submission), follow=True)
    assert response.status_code == 200
    assert needle in response.content.decode()
    assert Submission.objects.get(pk=submission.pk).beta_state == BetaState.NONE


def test_it_refuses_a_second_self_publish_with_a_message(client, alice, import_connector):
    submission = _submit(import_connector, alice)
    services.submission_self_publish(submission=submission, user=alice)
    client.force_login(alice)
    response = client.post(_url(submission), follow=True)
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()


def test_it_does_not_show_the_dialog_without_a_beta(client, alice, import_connector):
    submission = _submit(import_connector, alice, visibility="public")
    client.force_login(alice)
    body = client.get(reverse("review:status", args=[submission.pk]) + "?beta=published").content.decode()
    assert 'id="beta-dialog"' not in body


def test_it_refuses_get(client, alice, import_connector):
    submission = _submit(import_connector, alice)
    client.force_login(alice)
    assert client.get(_url(submission)).status_code == 405


def test_it_answers_404_to_another_company(client, bob, alice, import_connector):
    submission = _submit(import_connector, alice)
    client.force_login(bob)
    assert client.post(_url(submission)).status_code == 404
    assert Submission.objects.get(pk=submission.pk).beta_state == BetaState.NONE
