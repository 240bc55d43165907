"""The Connector Submission modal (and its page twin): what it promises per choice."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("bundle, reason", [
    ("oauth2-tasks", "Connectors that use OAuth 2.0 cannot be self-published."),
    ("workspaces-discovery", "Connectors with a discovery parameter cannot be self-published."),
])
def test_it_refuses_self_publish_in_the_modal_with_the_reason(client, alice, import_connector, bundle, reason):
    connector = import_connector(bundle)
    client.force_login(alice)
    for url in (reverse("connectors:edit", args=[connector.pk]), reverse("connectors:submit", args=[connector.pk])):
        body = client.get(url).content.decode()
        assert "Connector Submission" in body
        assert "Self Publish is not available for this connector." in body and reason in body
        assert 'data-testid="self-publish-offer"' not in body


def test_it_offers_self_publish_with_its_length_and_end_date(client, alice, import_connector, settings):
    settings.BETA_DAYS = 9
    connector = import_connector("sales-crm")
    client.force_login(alice)
    body = client.get(reverse("connectors:edit", args=[connector.pk])).content.decode()
    assert "as a beta for 9 days" in body and "Self Publish is not available" not in body


def test_it_says_congratulations_and_the_review_date_after_a_public_submit(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    response = client.post(reverse("connectors:submit_confirm", args=[connector.pk]), {"visibility": "public"}, follow=True)
    body = response.content.decode()
    submission = connector.submissions.get()
    assert "Congratulations!" in body and "Emails will follow" in body
    assert f"expect the outcome by <strong>{submission.due_at:%-d %B %Y}</strong>" in body


def test_a_resubmission_starts_from_the_previous_versions_choices(client, alice, import_connector):
    """Issue 20, item 5: resubmit started empty, and the engineer read "The developer gave none"."""
    from connectors import services

    connector = import_connector("sales-crm")
    client.force_login(alice)
    first = client.get(reverse("connectors:edit", args=[connector.pk])).content.decode()
    assert 'data-testid="prefilled"' not in first and 'name="visibility" value="public" class="form-check-input" checked' not in first
    submission = services.connector_submit(connector=connector, user=alice, visibility="public",
                                           instructions="Test account: demo / demo-pass")
    services.submission_withdraw(submission=submission, user=alice)
    for url in (reverse("connectors:edit", args=[connector.pk]), reverse("connectors:submit", args=[connector.pk])):
        body = client.get(url).content.decode()
        assert 'data-testid="prefilled"' in body
        assert "Test account: demo / demo-pass</textarea>" in body, body[body.find("id_instructions") - 200:body.find("id_instructions") + 300]
        import re

        assert re.findall(r'<input type="radio" name="visibility" value="(\w+)"[^>]* checked', body) == ["public"]
