"""POST /api/v1/submissions/<id>/withdraw."""

from connectors import services
from connectors.models import ReviewState


def _url(submission):
    return f"/api/v1/submissions/{submission.pk}/withdraw"


def test_it_withdraws_an_open_submission(alice_api, alice, import_connector):
    submission = services.connector_submit(connector=import_connector(), user=alice, visibility="company")
    response = alice_api.post_json(_url(submission), {"reason": "Found a bug"})
    assert response.status_code == 200
    assert response.json()["state"] == ReviewState.WITHDRAWN
    assert submission.events.order_by("-pk").first().reason == "Found a bug"


def test_it_answers_409_json_when_already_withdrawn(alice_api, alice, import_connector):
    submission = services.connector_submit(connector=import_connector(), user=alice, visibility="company")
    services.submission_withdraw(submission=submission, user=alice)
    response = alice_api.post_json(_url(submission))
    assert response.status_code == 409
    body = response.json()
    assert body["field"] is None and "withdrawn" in body["error"]


def test_it_answers_404_for_another_companys_submission(bob_api, alice, import_connector):
    submission = services.connector_submit(connector=import_connector(), user=alice, visibility="company")
    assert bob_api.post_json(_url(submission)).status_code == 404
    submission.refresh_from_db()
    assert submission.state != ReviewState.WITHDRAWN
