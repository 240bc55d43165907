"""A CI pipeline's whole run: token, upload, replace, submit, poll, beta, withdraw, edit again."""

from django.core.management import call_command

from tests.api.conftest import ApiClient


def test_it_publishes_from_a_pipeline(alice, capsys, bundle_zip):
    call_command("create_api_token", "alice", name="pipeline")
    api = ApiClient(capsys.readouterr().out.strip())

    created = api.post_bundle("/api/v1/connectors", bundle_zip("sales-crm-xhr"))
    assert created.status_code == 201
    connector_id = created.json()["id"]
    replaced = api.put_bundle(f"/api/v1/connectors/{connector_id}/bundle", bundle_zip("sales-crm"))
    assert replaced.json() == {"id": connector_id, "name": replaced.json()["name"], "missing": []}

    submitted = api.post_json(f"/api/v1/connectors/{connector_id}/submit", {"visibility": "company"})
    assert submitted.status_code == 201
    submission_id = submitted.json()["id"]
    status = api.get(f"/api/v1/submissions/{submission_id}").json()
    assert status["connector"] == connector_id

    beta = api.post_json(f"/api/v1/submissions/{submission_id}/self-publish")
    assert beta.json()["beta_state"] == "active"

    # The content is frozen while the submission is open, and editable again once withdrawn.
    assert api.put_bundle(f"/api/v1/connectors/{connector_id}/bundle", bundle_zip()).status_code == 409
    withdrawn = api.post_json(f"/api/v1/submissions/{submission_id}/withdraw").json()
    assert (withdrawn["state"], withdrawn["beta_state"], withdrawn["beta_url"]) == ("withdrawn", "closed", None)
    assert api.put_bundle(f"/api/v1/connectors/{connector_id}/bundle", bundle_zip()).status_code == 200


def test_it_keeps_each_company_to_its_own(alice, bob, bundle_zip):
    from api.services import api_token_create

    alice_api = ApiClient(api_token_create(user=alice, name="a")[1])
    bob_api = ApiClient(api_token_create(user=bob, name="b")[1])
    connector_id = alice_api.post_bundle("/api/v1/connectors", bundle_zip()).json()["id"]
    submission_id = alice_api.post_json(f"/api/v1/connectors/{connector_id}/submit", {"visibility": "company"}).json()["id"]
    for response in (
        bob_api.put_bundle(f"/api/v1/connectors/{connector_id}/bundle", bundle_zip()),
        bob_api.post_json(f"/api/v1/connectors/{connector_id}/submit", {"visibility": "company"}),
        bob_api.get(f"/api/v1/submissions/{submission_id}"),
        bob_api.post_json(f"/api/v1/submissions/{submission_id}/withdraw"),
        bob_api.post_json(f"/api/v1/submissions/{submission_id}/self-publish"),
    ):
        assert response.status_code == 404
        assert response.json()["field"] is None
