"""Bearer tokens: required, hashed at rest, revocable, and the only way in."""

import hashlib

import pytest

from api.models import ApiToken
from api.services import api_token_create, api_token_revoke
from tests.api.conftest import ApiClient

URL = "/api/v1/submissions/1"


@pytest.mark.parametrize("header", [None, "Token abc", "Bearer ", "Bearer cpp_not-a-real-token", "Basic YWxpY2U6cHc="])
def test_it_answers_401_json_without_a_valid_token(client, db, header):
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    response = client.get(URL, **extra)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["field"] is None and "token" in body["error"]


def test_it_stores_only_a_hash_of_the_token(alice):
    record, token = api_token_create(user=alice, name="CI")
    stored = ApiToken.objects.get(pk=record.pk)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {stored.token_hash, stored.prefix, stored.name}
    assert len(token) > 40


def test_it_refuses_a_revoked_token(alice, import_connector):
    record, token = api_token_create(user=alice, name="CI")
    assert ApiClient(token).get("/api/v1/submissions/999999").status_code == 404
    api_token_revoke(token=record)
    response = ApiClient(token).get("/api/v1/submissions/999999")
    assert response.status_code == 401
    assert "revoked" in response.json()["error"]


def test_it_refuses_the_token_of_an_inactive_user(alice):
    _record, token = api_token_create(user=alice, name="CI")
    alice.is_active = False
    alice.save()
    assert ApiClient(token).get(URL).status_code == 401


def test_it_does_not_accept_the_session_cookie(client, alice):
    client.force_login(alice)
    assert client.get(URL).status_code == 401


def test_it_needs_no_csrf_token_with_a_bearer_token(alice_api, bundle_zip):
    # ApiClient enforces CSRF checks, as a browser-facing view would.
    response = alice_api.post_bundle("/api/v1/connectors", bundle_zip())
    assert response.status_code == 201


def test_it_records_when_a_token_was_last_used(alice):
    record, token = api_token_create(user=alice, name="CI")
    assert record.last_used_at is None
    ApiClient(token).get(URL)
    record.refresh_from_db()
    assert record.last_used_at is not None


def test_it_answers_405_json_for_a_wrong_method(alice_api):
    response = alice_api.get("/api/v1/connectors")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json()["field"] is None


def test_it_answers_a_crash_with_json_and_no_trace(alice_api, monkeypatch, caplog):
    from api import views

    def crash(*args, **kwargs):
        raise RuntimeError("internal detail")

    monkeypatch.setattr(views.selectors, "submission_detail_for_user", crash)
    response = alice_api.get(URL)
    assert response.status_code == 500
    assert response.json()["field"] is None
    assert "internal detail" not in response.content.decode()
