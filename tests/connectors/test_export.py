"""Exporting a connector as a bundle zip."""

from django.urls import reverse

from connectors.bundle.reader import read_bundle


def test_it_downloads_a_bundle_that_reads_back(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    response = client.get(reverse("connectors:export", args=[connector.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="example-sales-crm.zip"' in response["Content-Disposition"]
    bundle = read_bundle(response.content)
    assert bundle.manifest["name"] == "Example Sales CRM"
    assert bundle.text("processdata.js") == connector.processdata_script
    assert "icons/logo_without_background.png" in bundle.files


def test_it_exports_a_half_finished_draft(client, alice, acme):
    from connectors import services

    connector = services.connector_create(company=acme, user=alice, name="Empty")
    client.force_login(alice)
    response = client.get(reverse("connectors:export", args=[connector.pk]))
    assert read_bundle(response.content).manifest["name"] == "Empty"


def test_it_never_exports_the_client_secret(client, alice, import_connector):
    from connectors import services

    connector = import_connector("oauth2-tasks")
    services.connector_update(connector=connector, user=alice, oauth2_client_secret="s3cr3t-value")
    client.force_login(alice)
    data = client.get(reverse("connectors:export", args=[connector.pk])).content
    bundle = read_bundle(data)
    assert "s3cr3t-value" not in repr(bundle.manifest)
    assert not any(b"s3cr3t-value" in content for content in bundle.files.values())


def test_it_answers_404_to_outsiders(client, bob, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(bob)
    assert client.get(reverse("connectors:export", args=[connector.pk])).status_code == 404
