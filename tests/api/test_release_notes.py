"""The API's submit takes "release_notes" and the submission shows them (issue 21, item 4)."""


def test_the_api_takes_and_shows_them(alice_api, import_connector):
    connector = import_connector("sales-crm")
    url = f"/api/v1/connectors/{connector.pk}/submit"
    response = alice_api.post_json(url, {"visibility": "public", "release_notes": ["x"]})
    assert response.status_code == 400 and response.json()["field"] == "release_notes"
    response = alice_api.post_json(url, {"visibility": "public", "release_notes": "Pages through deals."})
    assert response.status_code == 201 and response.json()["release_notes"] == "Pages through deals."
