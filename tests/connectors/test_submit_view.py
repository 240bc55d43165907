"""Submit: the completeness list, the submission modal and its page twin, the step after it."""

import re

from django.urls import reverse

from connectors import services
from connectors.models import Submission


def test_it_lists_missing_parts_with_links_to_their_fields(client, alice, import_connector):
    connector = import_connector("sales-crm")
    services.connector_update(connector=connector, user=alice, description="", reports=[],
                              files={"icons/logo_without_background.png": None})
    client.force_login(alice)
    body = client.get(reverse("connectors:submit", args=[connector.pk])).content.decode()
    edit = reverse("connectors:edit", args=[connector.pk])
    assert f'href="{edit}#field-description"' in body
    assert f'href="{edit}#field-reports"' in body
    assert f'href="{edit}#field-icons-logo-without-background"' in body
    assert "Continue Submission" not in body
    # The editor has an element with each of those ids.
    editor = client.get(edit).content.decode()
    for anchor in ("field-description", "field-reports", "field-icons-logo-without-background"):
        assert f'id="{anchor}"' in editor


def test_it_links_an_oauth2_part_to_its_field(client, alice, import_connector):
    connector = import_connector("oauth2-tasks")
    services.connector_update(connector=connector, user=alice, oauth2={"token_method": "POST"})
    client.force_login(alice)
    body = client.get(reverse("connectors:submit", args=[connector.pk])).content.decode()
    assert "#field-auth-oauth2-client-id" in body
    assert 'id="field-auth-oauth2-client-id"' in client.get(reverse("connectors:edit", args=[connector.pk])).content.decode()


def test_it_offers_the_modal_on_the_editor_when_complete(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    body = client.get(reverse("connectors:edit", args=[connector.pk])).content.decode()
    assert 'class="modal fade" id="submission-modal"' in body
    assert 'data-bs-target="#submission-modal"' in body
    assert reverse("connectors:submit_confirm", args=[connector.pk]) in body
    for words in ("Additional Instructions", "Shared with your company", "Public to all companies",
                  "Continue Submission", "not listed on the Data Center", "up to 30 days", "Self Publish"):
        assert words in body


def test_it_shows_the_same_form_as_a_page_without_javascript(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    body = client.get(reverse("connectors:submit", args=[connector.pk])).content.decode()
    assert "Additional Instructions" in body and "Continue Submission" in body
    assert 'value="company"' in body and 'value="public"' in body


def test_it_submits_company_only_and_offers_self_publish(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    response = client.post(reverse("connectors:submit_confirm", args=[connector.pk]),
                           {"visibility": "company", "instructions": "Nothing special."})
    submission = Submission.objects.get()
    assert response["Location"] == reverse("connectors:submitted", args=[submission.pk])
    assert (submission.visibility, submission.submitted_by, submission.instructions) == (
        "company", alice, "Nothing special.")
    body = client.get(response["Location"]).content.decode()
    assert reverse("submissions:self_publish", kwargs={"pk": submission.pk}) in body
    assert ">Self Publish<" in body
    assert reverse("review:status", kwargs={"pk": submission.pk}) in body and "View Status" in body


def test_it_says_why_a_discovery_connector_cannot_self_publish(client, alice, import_connector):
    connector = import_connector("workspaces-discovery")
    client.force_login(alice)
    response = client.post(reverse("connectors:submit_confirm", args=[connector.pk]), {"visibility": "company"},
                           follow=True)
    body = response.content.decode()
    assert "cannot be self-published" in body and "discovery parameter" in body
    assert ">Self Publish<" not in body


def test_it_confirms_a_public_submission(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    response = client.post(reverse("connectors:submit_confirm", args=[connector.pk]), {"visibility": "public"},
                           follow=True)
    body = response.content.decode()
    assert "was submitted" in body and "up to 30 days" in body and "Public to all companies" in body
    assert ">Self Publish<" not in body


def test_it_requires_test_credentials_for_oauth2(client, alice, import_connector):
    connector = import_connector("oauth2-tasks")
    client.force_login(alice)
    form = client.get(reverse("connectors:submit", args=[connector.pk])).content.decode()
    assert "test username and password" in form
    response = client.post(reverse("connectors:submit_confirm", args=[connector.pk]),
                           {"visibility": "public", "instructions": "   "})
    body = response.content.decode()
    assert response.status_code == 200
    assert "need a test username and password" in body
    assert re.search(r'<input type="radio" name="visibility" value="public"[^>]* checked>', body)  # choice kept
    assert not Submission.objects.exists()


def test_it_asks_for_a_visibility(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    response = client.post(reverse("connectors:submit_confirm", args=[connector.pk]), {"instructions": "kept"})
    body = response.content.decode()
    assert "Choose who may use the connector." in body and "kept" in body
    assert not Submission.objects.exists()


def test_it_lists_missing_parts_when_submitting_an_incomplete_connector(client, alice, import_connector):
    connector = import_connector("sales-crm")
    services.connector_update(connector=connector, user=alice, hosts=[])
    client.force_login(alice)
    response = client.post(reverse("connectors:submit_confirm", args=[connector.pk]), {"visibility": "company"})
    assert "#field-hosts" in response.content.decode()
    assert not Submission.objects.exists()


def test_it_sends_an_open_submission_back_with_a_message(client, alice, import_connector):
    connector = import_connector("sales-crm")
    services.connector_submit(connector=connector, user=alice, visibility="company")
    client.force_login(alice)
    response = client.post(reverse("connectors:submit_confirm", args=[connector.pk]), {"visibility": "company"},
                           follow=True)
    assert "already submitted" in response.content.decode()
    assert Submission.objects.count() == 1
    assert client.get(reverse("connectors:submit", args=[connector.pk])).status_code == 302


def test_it_answers_404_to_outsiders(client, alice, bob, import_connector):
    connector = import_connector("sales-crm")
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="public")
    client.force_login(bob)
    assert client.get(reverse("connectors:submit", args=[connector.pk])).status_code == 404
    assert client.post(reverse("connectors:submit_confirm", args=[connector.pk]),
                       {"visibility": "public"}).status_code == 404
    assert client.get(reverse("connectors:submitted", args=[submission.pk])).status_code == 404
    assert not connector.submissions.exists()
