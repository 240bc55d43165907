"""The Data Center: approved public connectors for everyone signed in; search; pages."""

import pytest
from django.urls import reverse

from connectors.models import Connector, ReviewState, Submission, Visibility
from connectors.services.history import sync_listing

URL = "/data-center/"


def _approved(company, name, description="", visibility=Visibility.PUBLIC, state=ReviewState.APPROVED, number=1):
    connector = Connector.objects.filter(company=company, name=name).first() or Connector.objects.create(
        company=company, name=name, description=description
    )
    submission = Submission.objects.create(
        connector=connector, number=number, bundle=b"", content_hash="h", manifest={}, visibility=visibility,
        state=state, name=name, description=description,
    )
    sync_listing(submission)  # what the services do on every approval
    return submission


def test_it_is_at_the_documented_url():
    assert reverse("submissions:data_center") == URL


def test_it_lists_approved_public_connectors_to_any_signed_in_user(client, bob, acme):
    _approved(acme, "Sales CRM", "Opportunities from the CRM")
    client.force_login(bob)
    body = client.get(URL).content.decode()
    assert "Sales CRM" in body and "Opportunities from the CRM" in body and "Acme" in body


def test_it_never_lists_private_or_unapproved_connectors(client, alice, acme):
    _approved(acme, "Private One", visibility=Visibility.COMPANY)
    _approved(acme, "Under Review", state=ReviewState.IN_REVIEW)
    client.force_login(alice)
    body = client.get(URL).content.decode()
    assert "Private One" not in body and "Under Review" not in body
    assert "No connector has been approved" in body


def test_it_lists_only_the_newest_approved_version(client, alice, acme):
    _approved(acme, "Sales CRM", number=1)
    _approved(acme, "Sales CRM", number=2)
    client.force_login(alice)
    body = client.get(URL).content.decode()
    assert body.count('data-testid="data-center-entry"') == 1 and "version 2" in body


def test_it_shows_each_connectors_icon_and_links_to_its_page(client, bob, acme):
    submission = _approved(acme, "Sales CRM")
    client.force_login(bob)
    body = client.get(URL).content.decode()
    assert f'src="{reverse("submissions:icon", args=[submission.pk, "icon_with_background"])}"' in body
    assert f'href="{reverse("submissions:public_connector", args=[submission.pk])}">Sales CRM</a>' in body


@pytest.mark.parametrize("query", ["crm", "OPPORTUNITIES"])
def test_it_searches_name_and_description(client, alice, acme, query):
    _approved(acme, "Sales CRM", "Opportunities")
    _approved(acme, "Weather", "Forecasts")
    client.force_login(alice)
    body = client.get(URL, {"q": query}).content.decode()
    assert "Sales CRM" in body and "Weather" not in body


def test_it_says_when_nothing_matches(client, alice, acme):
    _approved(acme, "Sales CRM")
    client.force_login(alice)
    assert "No public connector matches" in client.get(URL, {"q": "zzz"}).content.decode()


def test_it_paginates_and_keeps_the_search(client, alice, acme):
    for i in range(25):
        _approved(acme, f"Connector {i:02}", "searchable")
    client.force_login(alice)
    first = client.get(URL, {"q": "searchable"}).content.decode()
    assert "Connector 00" in first and "Connector 20" not in first
    assert "Page 1" in first and "?q=searchable&amp;page=2" in first
    second = client.get(URL, {"q": "searchable", "page": 2}).content.decode()
    assert "Connector 20" in second and "Connector 00" not in second
    past_the_end = client.get(URL, {"page": "999"})
    assert past_the_end.status_code == 200 and "There is no page 999" in past_the_end.content.decode()


def test_it_sends_anonymous_users_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# session, user, page of rows (company joined in); no COUNT over the table
DATA_CENTER_QUERIES = 3


def test_it_costs_a_pinned_number_of_queries(client, alice, acme, django_assert_num_queries):
    _approved(acme, "Sales CRM")
    client.force_login(alice)
    with django_assert_num_queries(DATA_CENTER_QUERIES):
        client.get(URL)


@pytest.mark.parametrize("rows", [1, 50])
def test_it_costs_the_same_queries_with_1_and_50_connectors(client, alice, acme, globex, rows, django_assert_num_queries):
    for i in range(rows):
        _approved(acme if i % 2 else globex, f"Connector {i:02}", "d")
    client.force_login(alice)
    with django_assert_num_queries(DATA_CENTER_QUERIES) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="data-center-entry"') == min(rows, 20)
    # Only the columns the page shows: icons come by URL, so no zip, manifest or scripts.
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert not any(f'"{column}"' in sql for column in ("bundle", "manifest", "scripts", "instructions"))
    assert "COUNT(" not in sql.upper()


def test_it_lists_what_was_approved_not_the_draft_edited_since(client, alice, acme):
    submission = _approved(acme, "Sales CRM", "Opportunities from the CRM")
    Connector.objects.filter(pk=submission.connector_id).update(name="Renamed draft", description="Work in progress")
    client.force_login(alice)
    body = client.get(URL).content.decode()
    assert "Sales CRM" in body and "Opportunities from the CRM" in body
    assert "Renamed draft" not in body and "Work in progress" not in body
    assert "Sales CRM" not in client.get(URL, {"q": "Renamed"}).content.decode()
