"""A signed-out htmx request (a polled part) sends the whole page to sign-in, and back.

Before portal/htmx_login.py, login_required's 302 was followed by the browser and htmx
swapped the sign-in page into the polled part."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from connectors import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def status_url(import_connector, alice):
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    return reverse("review:status", args=[submission.pk])


def _htmx(current_url):
    return {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": current_url}


def _next_of(response):
    redirect = urlsplit(response["HX-Redirect"])
    assert redirect.path == "/accounts/login/"
    return parse_qs(redirect.query).get("next", [None])[0]


def test_a_signed_out_poll_of_the_status_live_part_sends_the_page_to_sign_in(client, status_url):
    response = client.get(status_url, **_htmx(f"http://testserver{status_url}?diff=split"))
    assert response.status_code == 401
    assert "Location" not in response
    assert _next_of(response) == f"{status_url}?diff=split"
    assert b"<html" not in response.content


def test_a_signed_out_check_now_result_poll_names_the_editor_page(client, alice, import_connector):
    connector = import_connector("sales-crm")
    editor = reverse("connectors:edit", args=[connector.pk])
    response = client.get(reverse("review:check_result", args=[connector.pk]), **_htmx(f"http://testserver{editor}"))
    assert response.status_code == 401
    assert _next_of(response) == editor


@pytest.mark.parametrize("current", ["https://evil.example/steal", "javascript:alert(1)", "//evil.example/x", ""])
def test_a_page_on_another_site_is_never_the_next_page(client, status_url, current):
    response = client.get(status_url, **_htmx(current))
    assert response.status_code == 401
    assert _next_of(response) is None


def test_a_page_request_still_gets_the_usual_redirect(client, status_url):
    response = client.get(status_url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={status_url}"
    assert "HX-Redirect" not in response


def test_a_signed_in_htmx_request_is_left_alone(client, alice, status_url):
    client.force_login(alice)
    response = client.get(status_url, **_htmx(f"http://testserver{status_url}"))
    assert response.status_code == 200 and "HX-Redirect" not in response
