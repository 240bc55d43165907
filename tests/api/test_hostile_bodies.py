"""JSON bodies that once answered 500 answer 400 with what is wrong and where."""

from portal.safe_input import MAX_JSON_DEPTH


def _deep(depth):
    return "[" * depth + "]" * depth


def test_it_refuses_a_nul_in_an_api_body(alice_api, public_approved):
    connector = public_approved.connector
    response = alice_api.post_json(f"/api/v1/connectors/{connector.pk}/submit", {"visibility": "pub\u0000lic"})
    assert response.status_code == 400
    assert "NUL character" in response.json()["error"]


def test_it_refuses_deep_json_in_an_api_body(alice_api, public_approved):
    connector = public_approved.connector
    response = alice_api.client.post(f"/api/v1/connectors/{connector.pk}/submit", _deep(50_000),
                                     content_type="application/json", **alice_api._headers())
    assert response.status_code == 400
    assert f"nested more than {MAX_JSON_DEPTH} levels" in response.json()["error"]
