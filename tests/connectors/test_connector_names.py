"""Two connectors of one company never share a name: typed names are refused, uploads numbered."""

import pytest
from django.urls import reverse

from connectors import services
from connectors.errors import DuplicateName
from tests.connectors.test_editor import _form


def test_it_refuses_a_new_connector_named_like_another_of_the_company(client, alice, acme):
    services.connector_create(company=acme, user=alice, name="Orders")
    client.force_login(alice)
    response = client.post(reverse("connectors:create"), {"name": "  orders "}, follow=True)
    assert "Acme already has a connector named \u201cOrders\u201d" in response.content.decode()
    assert acme.connectors.count() == 1


def test_it_allows_the_same_name_in_another_company(alice, bob, acme, globex):
    services.connector_create(company=acme, user=alice, name="Orders")
    assert services.connector_create(company=globex, user=bob, name="Orders").name == "Orders"


def test_it_refuses_a_rename_onto_another_connectors_name_beside_the_field(client, alice, acme, import_connector):
    services.connector_create(company=acme, user=alice, name="Orders")
    connector = import_connector("sales-crm")
    client.force_login(alice)
    response = client.post(reverse("connectors:edit", args=[connector.pk]), _form(connector, name="ORDERS"))
    body = response.content.decode()
    assert "Nothing was saved" in body and "already has a connector named" in body
    connector.refresh_from_db()
    assert connector.name == "Example Sales CRM"
    # Saving under its own name is no clash.
    assert client.post(reverse("connectors:edit", args=[connector.pk]), _form(connector)).status_code == 302


def test_it_numbers_an_uploaded_bundle_whose_name_is_taken_and_says_so(client, alice, import_connector, bundles_dir, tmp_path):
    import shutil
    import zipfile

    first = import_connector("sales-crm")
    second = import_connector("sales-crm")
    assert (first.name, second.name) == ("Example Sales CRM", "Example Sales CRM (2)")
    archive = tmp_path / "sales-crm.zip"
    shutil.make_archive(str(archive.with_suffix("")), "zip", bundles_dir / "sales-crm")
    assert zipfile.is_zipfile(archive)
    client.force_login(alice)
    with archive.open("rb") as upload:
        response = client.post(reverse("connectors:upload"), {"bundle": upload}, follow=True)
    body = response.content.decode()
    assert "Example Sales CRM (3)" in body and "already has a connector named" in body


def test_it_raises_a_duplicate_name_error_from_the_service(alice, acme):
    services.connector_create(company=acme, user=alice, name="Orders")
    with pytest.raises(DuplicateName):
        services.connector_create(company=acme, user=alice, name="Orders")


def test_it_names_missing_parts_by_their_field_not_their_json_path(client, alice, acme):
    connector = services.connector_create(company=acme, user=alice, name="Half done")
    client.force_login(alice)
    body = client.get(reverse("connectors:submit", args=[connector.pk])).content.decode()
    assert "<strong>Description</strong>:" in body and "<strong>Hosts</strong>:" in body
    assert "$.description" not in body and "$.hosts" not in body


def test_numbering_an_upload_costs_the_same_queries_after_many_copies(alice, acme, django_assert_max_num_queries):
    # One query for the names that could clash, one to check the number chosen: a company
    # that uploaded the same bundle many times does not pay a query per earlier copy.
    from connectors import selectors
    from connectors.models import Connector

    Connector.objects.bulk_create(
        [Connector(company=acme, name="Orders")] + [Connector(company=acme, name=f"ORDERS ({n})") for n in range(2, 60)]
    )
    with django_assert_max_num_queries(3):
        assert selectors.connector_free_name(acme, "Orders") == "Orders (60)"


def test_a_long_name_is_cut_to_fit_its_number(alice, acme):
    from connectors import selectors
    from connectors.models import Connector

    long = "L" * 100
    Connector.objects.bulk_create([Connector(company=acme, name=long), Connector(company=acme, name="L" * 96 + " (2)")])
    free = selectors.connector_free_name(acme, long)
    assert free == "L" * 96 + " (3)" and len(free) <= 100
