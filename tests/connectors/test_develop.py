"""The Develop page: the company's connectors, create one; pinned query counts."""

import pytest
from django.urls import reverse

from connectors import services
from connectors.models import Connector
from connectors.views.develop import DEVELOP_PAGE_SIZE

URL = reverse("connectors:develop")


def test_it_sends_anonymous_users_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_lists_only_the_users_companies_connectors(client, alice, bob, import_connector, globex):
    import_connector("sales-crm")
    import_connector("workspaces-discovery", company=globex, user=bob)
    client.force_login(alice)
    body = client.get(URL).content.decode()
    assert "Example Sales CRM" in body
    assert "Example Workspaces" not in body


def test_it_shows_state_last_change_and_actions(client, alice, import_connector):
    draft = import_connector("sales-crm")
    submitted = import_connector("sales-crm")
    services.connector_update(connector=submitted, user=alice, name="Submitted one")
    submission = services.connector_submit(connector=submitted, user=alice, visibility="company")
    client.force_login(alice)
    body = client.get(URL).content.decode()
    assert 'data-state="draft"' in body and 'data-state="submitted"' in body
    assert reverse("connectors:edit", args=[draft.pk]) in body
    assert reverse("connectors:export", args=[draft.pk]) in body
    assert reverse("review:status", kwargs={"pk": submission.pk}) in body
    assert "<time" in body


def test_it_creates_a_connector_and_opens_the_editor(client, alice, acme):
    client.force_login(alice)
    response = client.post(reverse("connectors:create"), {"name": "Fresh"})
    connector = Connector.objects.get(name="Fresh")
    assert connector.company == acme and connector.created_by == alice
    assert response.status_code == 302 and response["Location"] == reverse("connectors:edit", args=[connector.pk])


def test_it_refuses_a_blank_name_with_a_message(client, alice):
    client.force_login(alice)
    response = client.post(reverse("connectors:create"), {"name": ""}, follow=True)
    assert "Give the new connector a name" in response.content.decode()
    assert not Connector.objects.exists()


def test_it_only_creates_on_post(client, alice):
    client.force_login(alice)
    assert client.get(reverse("connectors:create")).status_code == 405


def test_it_tells_a_user_without_a_company(client, django_user_model):
    loner = django_user_model.objects.create_user("loner", password="pw")
    client.force_login(loner)
    body = client.get(URL).content.decode()
    assert "not a member of any company" in body
    assert reverse("connectors:create") not in body


def _make(n, acme, alice):
    for i in range(n):
        connector = services.connector_create(company=acme, user=alice, name=f"Connector {i}")
        if i % 2:
            services.connector_update(connector=connector, user=alice, description="x")


@pytest.mark.parametrize("count", [1, 50])
def test_it_costs_the_same_queries_with_1_and_50_connectors(client, alice, acme, count, django_assert_num_queries):
    _make(count, acme, alice)
    client.force_login(alice)
    # session, user, the user's company ids; then (not cached yet) the companies for the
    # forms and one page of the connector list with its newest submission annotated
    with django_assert_num_queries(5) as queries:
        response = client.get(URL)
    assert response.content.decode().count("data-connector=") == min(count, DEVELOP_PAGE_SIZE)
    # Again, nothing changed: session, user, company ids; the content comes from the cache.
    with django_assert_num_queries(3):
        assert client.get(URL).content.decode().count("data-connector=") == min(count, DEVELOP_PAGE_SIZE)
    # Only the columns the rows show: never the scripts, samples or secrets of 25 drafts.
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert not any(f'"{column}"' in sql for column in ("processdata_script", "samples", "oauth2_client_secret"))


def test_it_pins_the_query_count_with_submissions(client, alice, import_connector, django_assert_num_queries):
    for _ in range(3):
        services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    client.force_login(alice)
    with django_assert_num_queries(5):
        client.get(URL)


@pytest.fixture
def in_two_companies(alice, globex):
    from connectors.models import Membership

    Membership.objects.create(user=alice, company=globex)
    return alice


def test_it_asks_a_member_of_several_companies_where_a_connector_goes(client, in_two_companies, acme, globex):
    client.force_login(in_two_companies)
    body = client.get(URL).content.decode()
    assert 'name="company"' in body and ">Acme<" in body and ">Globex<" in body

    response = client.post(reverse("connectors:create"), {"name": "Nowhere"}, follow=True)
    assert "choose the company" in response.content.decode()
    assert not Connector.objects.filter(name="Nowhere").exists()

    client.post(reverse("connectors:create"), {"name": "Somewhere", "company": "globex"})
    assert Connector.objects.get(name="Somewhere").company == globex


def test_it_refuses_a_company_the_user_is_not_in(client, alice, globex):
    client.force_login(alice)
    response = client.post(reverse("connectors:create"), {"name": "Sneaky", "company": "globex"}, follow=True)
    assert "not a member of a company with the slug" in response.content.decode()
    assert not Connector.objects.filter(name="Sneaky").exists()


def test_it_does_not_ask_a_member_of_one_company(client, alice, acme):
    client.force_login(alice)
    assert 'name="company"' not in client.get(URL).content.decode()
    client.post(reverse("connectors:create"), {"name": "Mine"})
    assert Connector.objects.get(name="Mine").company == acme


def test_it_pages_the_connectors_newest_change_first(client, alice, acme):
    _make(DEVELOP_PAGE_SIZE + 2, acme, alice)
    client.force_login(alice)
    first = client.get(URL).content.decode()
    assert first.count("data-connector=") == DEVELOP_PAGE_SIZE and "?page=2" in first
    second = client.get(URL, {"page": 2}).content.decode()
    assert second.count("data-connector=") == 2 and "Connector 0<" in second and "?page=1" in second
    assert "There is no page 9" in client.get(URL, {"page": 9}).content.decode()


def test_it_searches_by_name_and_keeps_the_search_in_the_page_links(client, alice, bob, acme, globex):
    _make(3, acme, alice)
    services.connector_create(company=globex, user=bob, name="Connector of Globex")
    client.force_login(alice)
    body = client.get(URL, {"q": "connector 1"}).content.decode()
    assert body.count("data-connector=") == 1 and "Connector 1<" in body and 'value="connector 1"' in body
    assert "Globex" not in client.get(URL, {"q": "globex"}).content.decode()
    assert "No connector matches “nothing”" in client.get(URL, {"q": "nothing"}).content.decode()


def test_it_filters_by_the_newest_versions_state(client, alice, import_connector):
    from tests.conftest import approve

    draft = import_connector("sales-crm")
    submitted = import_connector("sales-crm")
    services.connector_submit(connector=submitted, user=alice, visibility="company")
    approved = import_connector("sales-crm")
    approve(services.connector_submit(connector=approved, user=alice, visibility="company"))
    client.force_login(alice)

    def shown(state):
        body = client.get(URL, {"state": state}).content.decode()
        return {c.pk for c in (draft, submitted, approved) if f'data-connector="{c.pk}"' in body}

    assert shown("draft") == {draft.pk}
    assert shown("submitted") == {submitted.pk}
    assert shown("approved") == {approved.pk}
    assert shown("withdrawn") == set()
    assert shown("not-a-state") == {draft.pk, submitted.pk, approved.pk}  # unknown filters are ignored


def test_it_takes_each_rows_actions_from_the_annotated_newest_version(client, alice, import_connector):
    connector = import_connector("sales-crm")
    first = services.connector_submit(connector=connector, user=alice, visibility="company")
    services.submission_withdraw(submission=first, user=alice)
    newest = services.connector_submit(connector=connector, user=alice, visibility="company")
    client.force_login(alice)
    body = client.get(URL).content.decode()
    assert reverse("review:status", args=[newest.pk]) in body and ">Open<" in body and "v2" in body
