"""/accounts/settings/: create a token (shown once) and revoke it."""

import re

from api.models import ApiToken
from api.services import api_token_create
from tests.api.conftest import ApiClient

URL = "/accounts/settings/"


def test_it_needs_a_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_creates_a_token_and_shows_it_once(client, alice):
    client.force_login(alice)
    response = client.post("/accounts/settings/tokens/", {"name": "GitHub Actions"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = re.search(r'value="(cpp_[^"]+)"', response.content.decode()).group(1)
    assert ApiClient(token).get("/api/v1/submissions/1").status_code == 404
    page = client.get(URL).content.decode()
    assert "GitHub Actions" in page and token not in page


def test_it_explains_a_missing_name(client, alice):
    client.force_login(alice)
    response = client.post("/accounts/settings/tokens/", {"name": "  "})
    assert response.status_code == 400
    assert "Give the token a name" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_it_revokes_a_token(client, alice):
    record, token = api_token_create(user=alice, name="CI")
    client.force_login(alice)
    response = client.post(f"/accounts/settings/tokens/{record.pk}/revoke/")
    assert response.status_code == 302
    assert ApiClient(token).get("/api/v1/submissions/1").status_code == 401


def test_it_answers_404_for_someone_elses_token(client, alice, bob):
    record, token = api_token_create(user=alice, name="CI")
    client.force_login(bob)
    assert client.post(f"/accounts/settings/tokens/{record.pk}/revoke/").status_code == 404
    record.refresh_from_db()
    assert record.is_active


def test_it_refuses_revoking_with_get(client, alice):
    record, _token = api_token_create(user=alice, name="CI")
    client.force_login(alice)
    assert client.get(f"/accounts/settings/tokens/{record.pk}/revoke/").status_code == 405
