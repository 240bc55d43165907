"""The API takes a Dev Studio export too, and answers what the conversion dropped."""

from connectors.models import Connector
from tests.connectors.devstudio_support import devstudio_zip


def test_it_answers_the_notes_through_the_api(alice_api, acme):
    response = alice_api.post_bundle("/api/v1/connectors", devstudio_zip())
    assert response.status_code == 201
    body = response.json()
    assert any("domoClientSecret" in note for note in body["import_notes"])
    assert Connector.objects.get(pk=body["id"]).name == "AWS Copy"


def test_it_answers_no_notes_for_a_bundle_of_ours(alice_api, bundle_zip):
    assert "import_notes" not in alice_api.post_bundle("/api/v1/connectors", bundle_zip("sales-crm")).json()


def test_it_answers_the_notes_by_group_too(alice_api, acme):
    body = alice_api.post_bundle("/api/v1/connectors", devstudio_zip()).json()
    summary = body["import_summary"]
    assert list(summary) == ["converted", "dropped", "not_expressible"]
    assert summary["dropped"][0].startswith("domoClientSecret (")
    assert body["missing"]  # the draft's completeness list, as for any upload
