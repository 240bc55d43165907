"""POST /api/v1/submissions/<id>/self-publish."""

from connectors import services
from connectors.models import BetaState


def _url(submission):
    return f"/api/v1/submissions/{submission.pk}/self-publish"


def test_it_publishes_a_beta_and_answers_its_url(alice_api, alice, import_connector):
    submission = services.connector_submit(connector=import_connector(), user=alice, visibility="company")
    response = alice_api.post_json(_url(submission))
    assert response.status_code == 200
    body = response.json()
    assert body["beta_state"] == BetaState.ACTIVE
    assert body["beta_url"] and body["beta_expires_at"]


def test_it_answers_409_with_the_reasons_for_a_public_submission(alice_api, alice, import_connector):
    submission = services.connector_submit(connector=import_connector(), user=alice, visibility="public")
    response = alice_api.post_json(_url(submission))
    assert response.status_code == 409
    body = response.json()
    assert "public" in body["error"] and body["reasons"]


def test_it_answers_409_when_the_beta_is_already_active(alice_api, alice, import_connector):
    submission = services.connector_submit(connector=import_connector(), user=alice, visibility="company")
    assert alice_api.post_json(_url(submission)).status_code == 200
    assert alice_api.post_json(_url(submission)).status_code == 409


def test_it_answers_404_for_another_companys_submission(bob_api, alice, import_connector):
    submission = services.connector_submit(connector=import_connector(), user=alice, visibility="company")
    assert bob_api.post_json(_url(submission)).status_code == 404
    submission.refresh_from_db()
    assert submission.beta_state == BetaState.NONE
