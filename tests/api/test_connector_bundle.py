"""PUT /api/v1/connectors/<id>/bundle: replaces a draft's content (multipart, parsed by hand)."""

from connectors import services
from connectors.models import Connector


def _url(connector):
    return f"/api/v1/connectors/{connector.pk}/bundle"


def test_it_replaces_the_drafts_content(alice_api, import_connector, bundle_zip):
    connector = import_connector("sales-crm")
    response = alice_api.put_bundle(_url(connector), bundle_zip("sales-crm-xhr"))
    assert response.status_code == 200, response.content
    assert response.json() == {"id": connector.pk, "name": response.json()["name"], "missing": []}
    connector.refresh_from_db()
    assert "XMLHttpRequest" in connector.processdata_script


def test_it_answers_404_for_another_companys_connector(bob_api, import_connector, bundle_zip):
    connector = import_connector("sales-crm")
    before = connector.processdata_script
    response = bob_api.put_bundle(_url(connector), bundle_zip("sales-crm-xhr"))
    assert response.status_code == 404
    assert response.json() == {"error": "No such connector.", "field": None}
    assert Connector.objects.get(pk=connector.pk).processdata_script == before


def test_it_answers_409_while_a_submission_is_open(alice_api, alice, import_connector, bundle_zip):
    connector = import_connector("sales-crm")
    services.connector_submit(connector=connector, user=alice, visibility="company")
    response = alice_api.put_bundle(_url(connector), bundle_zip("sales-crm-xhr"))
    assert response.status_code == 409
    assert "Withdraw" in response.json()["error"]


def test_it_answers_400_when_the_body_is_not_multipart(alice_api, import_connector):
    connector = import_connector("sales-crm")
    response = alice_api.client.put(
        _url(connector), b"PK\x03\x04", content_type="application/zip", HTTP_AUTHORIZATION=f"Bearer {alice_api.token}"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "bundle"


def test_it_answers_400_for_an_unreadable_bundle(alice_api, import_connector):
    connector = import_connector("sales-crm")
    response = alice_api.put_bundle(_url(connector), b"not a zip")
    assert response.status_code == 400
    assert response.json()["field"] == "bundle"
