"""The connector card (beta, private and Data Center pages) and the Data Center's public page."""

import pytest
from django.urls import reverse

from connectors import services
from connectors.models import Connector, ReviewState, Submission, Visibility
from connectors.services.history import sync_listing
from tests.conftest import approve


def _public_url(submission):
    return reverse("submissions:public_connector", args=[submission.pk])


def _beta_page(submission, alice):
    beta = services.submission_self_publish(submission=submission, user=alice)
    return reverse("submissions:beta", args=[beta.beta_token])


def _private_page(submission, alice):
    return reverse("submissions:private", args=[approve(submission).private_token])


def _public_page(submission, alice):
    Submission.objects.filter(pk=submission.pk).update(visibility=Visibility.PUBLIC)
    return _public_url(approve(Submission.objects.get(pk=submission.pk)))


PAGES = {"beta": _beta_page, "private": _private_page, "public": _public_page}


@pytest.fixture(params=sorted(PAGES))
def card_page(request, client, alice, import_connector):
    """The body of one of the three pages that show the card, for the sales-crm sample."""
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    url = PAGES[request.param](submission, alice)
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200
    return submission, response.content.decode()


def test_it_shows_the_card_on_every_connector_page(card_page):
    submission, body = card_page
    assert body.count('data-testid="connector-card"') == 1
    assert '<h1 class="h3 mb-0">Example Sales CRM</h1>' in body
    assert "Opportunities from the Example Sales CRM, exported as CSV." in body
    assert "by Acme · version 1" in body
    assert "Opportunities" in body and "<code>crm.example-sales.com</code>" in body


def test_it_names_the_auth_method_by_its_label(card_page):
    _submission, body = card_page
    assert '<dd class="col-sm-9" data-testid="auth-method">Username and password</dd>' in body
    assert "username_password" not in body


def test_it_shows_the_icon_and_the_logo_banner_by_url(card_page):
    submission, body = card_page
    assert f'src="{reverse("submissions:icon", args=[submission.pk, "icon_with_background"])}"' in body
    assert f'src="{reverse("submissions:icon", args=[submission.pk, "logo_without_background"])}"' in body


def test_it_lists_parameters_with_type_label_requirement_and_help(client, alice, import_connector):
    submission = services.connector_submit(
        connector=import_connector("workspaces-discovery"), user=alice, visibility="public"
    )
    approved = approve(submission)
    client.force_login(alice)
    body = client.get(_public_url(approved)).content.decode()
    table = body[body.index('data-testid="parameters"'):body.index("</table>", body.index('data-testid="parameters"'))]
    assert "<td>Workspaces</td><td>Discovery (options from a script)</td><td>required</td><td>Pick one or more workspaces.</td>" in table
    assert "<td>Date range</td><td>Date selector</td><td>required</td><td>—</td>" in table
    assert "API key" in body


def test_it_shows_the_snapshot_not_the_edited_draft(client, alice, public_approved):
    Connector.objects.filter(pk=public_approved.connector_id).update(description="Edited after approval")
    client.force_login(alice)
    body = client.get(_public_url(public_approved)).content.decode()
    assert "exported as CSV" in body and "Edited after approval" not in body


# --- the public page's access --------------------------------------------------------

def test_it_is_under_the_data_center():
    assert reverse("submissions:public_connector", args=[3]) == "/data-center/3/"


def test_it_shows_an_approved_public_connector_to_any_signed_in_user(client, bob, erin, public_approved):
    for user in (bob, erin):
        client.force_login(user)
        response = client.get(_public_url(public_approved))
        assert response.status_code == 200
        assert "Example Sales CRM" in response.content.decode()


def test_it_links_back_to_the_data_center(client, bob, public_approved):
    client.force_login(bob)
    body = client.get(_public_url(public_approved)).content.decode()
    assert f'href="{reverse("submissions:data_center")}"' in body


def test_it_answers_404_for_a_company_connector_even_approved(client, alice, import_connector):
    approved = approve(services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company"))
    client.force_login(alice)  # even to its own company: it has its private URL instead
    assert client.get(_public_url(approved)).status_code == 404


@pytest.mark.parametrize("state", [ReviewState.SUBMITTED, ReviewState.IN_REVIEW, ReviewState.CHANGES_REQUESTED, ReviewState.WITHDRAWN])
def test_it_answers_404_for_a_public_submission_that_is_not_approved(client, alice, import_connector, state):
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="public")
    Submission.objects.filter(pk=submission.pk).update(state=state)
    client.force_login(alice)
    assert client.get(_public_url(submission)).status_code == 404


def test_it_answers_404_for_an_approved_version_a_newer_one_replaced(client, bob, public_approved, alice):
    newer = Submission.objects.create(
        connector=public_approved.connector, number=2, bundle=b"", content_hash="h2", manifest={},
        visibility=Visibility.PUBLIC, state=ReviewState.APPROVED,
    )
    sync_listing(newer)  # what the services do on every approval
    client.force_login(bob)
    assert client.get(_public_url(public_approved)).status_code == 404
    assert client.get(_public_url(newer)).status_code == 200


def test_it_answers_404_for_an_unknown_pk(client, bob, db):
    client.force_login(bob)
    assert client.get(_public_url(Submission(pk=999999))).status_code == 404


def test_it_sends_anonymous_users_to_sign_in(client, public_approved):
    response = client.get(_public_url(public_approved))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
