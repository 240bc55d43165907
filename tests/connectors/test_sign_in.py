"""Sign in and sign out (Django auth with the portal's templates)."""

from django.urls import reverse


def test_it_signs_in_to_the_develop_page(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "pw"})
    assert response.status_code == 302 and response["Location"] == "/develop/"


def test_it_keeps_the_username_after_a_wrong_password(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Please enter a correct username and password" in body or "did not match" in body
    assert 'value="alice"' in body


def test_it_returns_to_the_page_asked_for(client, alice, import_connector):
    connector = import_connector("sales-crm")
    url = reverse("connectors:edit", args=[connector.pk])
    login = client.get(url)["Location"]
    assert client.get(login).status_code == 200
    response = client.post(login, {"username": "alice", "password": "pw", "next": url})
    assert response["Location"] == url


def test_it_signs_out_with_a_post(client, alice):
    client.force_login(alice)
    assert 'action="/accounts/logout/"' in client.get(reverse("connectors:develop")).content.decode()
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get(reverse("connectors:develop")).status_code == 302
