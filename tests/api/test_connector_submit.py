"""POST /api/v1/connectors/<id>/submit: JSON in, the submission as GET shows it out."""

from connectors.models import ReviewState, Submission


def _url(connector):
    return f"/api/v1/connectors/{connector.pk}/submit"


def test_it_submits_and_answers_the_submission(alice_api, import_connector):
    connector = import_connector("sales-crm")
    response = alice_api.post_json(_url(connector), {"visibility": "company", "instructions": "user a / pw b"})
    assert response.status_code == 201
    body = response.json()
    submission = Submission.objects.get(pk=body["id"])
    assert submission.instructions == "user a / pw b"
    assert body["connector"] == connector.pk
    assert body["state"] in {ReviewState.SUBMITTED, ReviewState.IN_REVIEW, ReviewState.CHANGES_REQUESTED}
    assert [p["phase"] for p in body["phases"]] == ["automated", "security", "performance", "code_review"]
    assert body["due_date"]
    # The credentials never come back out of the API.
    assert "pw b" not in response.content.decode()


def test_it_names_the_field_of_a_wrong_visibility(alice_api, import_connector):
    response = alice_api.post_json(_url(import_connector()), {"visibility": "everyone"})
    assert response.status_code == 400
    assert response.json()["field"] == "visibility"


def test_it_names_the_instructions_when_oauth2_has_none(alice_api, import_connector):
    response = alice_api.post_json(_url(import_connector("oauth2-tasks")), {"visibility": "public"})
    assert response.status_code == 400
    assert response.json()["field"] == "instructions"


def test_it_lists_the_missing_parts_of_an_incomplete_connector(alice_api, alice, import_connector):
    from connectors import services

    connector = import_connector()
    services.connector_update(connector=connector, user=alice, description="")
    response = alice_api.post_json(_url(connector), {"visibility": "public"})
    assert response.status_code == 400
    body = response.json()
    assert [part["field"] for part in body["missing"]] == ["description"]
    assert "description" in body["error"].lower()


def test_it_answers_400_for_a_body_that_is_not_json(alice_api, import_connector):
    connector = import_connector()
    response = alice_api.client.post(
        _url(connector), "visibility=public", content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {alice_api.token}",
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["error"]
    assert not connector.submissions.exists()


def test_it_answers_400_for_a_non_string_field(alice_api, import_connector):
    response = alice_api.post_json(_url(import_connector()), {"visibility": "public", "instructions": ["x"]})
    assert response.status_code == 400
    assert response.json()["field"] == "instructions"


def test_it_answers_409_when_a_version_is_already_open(alice_api, import_connector):
    connector = import_connector()
    assert alice_api.post_json(_url(connector), {"visibility": "public"}).status_code == 201
    response = alice_api.post_json(_url(connector), {"visibility": "public"})
    assert response.status_code == 409
    assert connector.submissions.count() == 1


def test_it_answers_404_for_another_companys_connector(bob_api, import_connector):
    connector = import_connector()
    response = bob_api.post_json(_url(connector), {"visibility": "public"})
    assert response.status_code == 404
    assert response.json()["field"] is None
    assert not connector.submissions.exists()
