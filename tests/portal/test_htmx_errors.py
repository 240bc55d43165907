"""An htmx request that fails gets one short line of plain text (portal/htmx_errors.py),
which static/js/portal.js shows where the user acted; a page request gets the error page."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path, reverse

from portal import urls as portal_urls
from portal.urls import handler400, handler403, handler404, handler500  # noqa: F401 - this URLconf's handlers

pytestmark = pytest.mark.usefixtures("empty_cache")
HTMX = {"HTTP_HX_REQUEST": "true"}


def _boom(request):
    raise RuntimeError("secret internals")


def _forbidden(request):
    raise PermissionDenied("internal reason")


urlpatterns = [path("boom/", _boom), path("forbidden/", _forbidden), *portal_urls.urlpatterns]


@pytest.fixture
def own_urls(settings):
    settings.ROOT_URLCONF = __name__


def _plain(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert "<" not in body and len(body) < 200, body
    return body


@pytest.mark.django_db
def test_a_nul_in_an_htmx_posted_field_is_refused_in_a_line_naming_the_field(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    url = reverse("review:check_now", args=[connector.pk])
    body = _plain(client.post(url, {"note": "a\x00b"}, **HTMX), 400)
    assert body == "The field 'note' contains a NUL character at character 2; remove it and send again."
    page = client.post(url, {"note": "a\x00b"})  # without htmx: the 400 page, as before
    assert page.status_code == 400 and "<h1" in page.content.decode()


@pytest.mark.django_db
def test_a_missing_part_is_a_short_404(client, alice):
    client.force_login(alice)
    body = _plain(client.get("/no/such/part/", **HTMX), 404)
    assert body.startswith("Not found:")
    assert "Page not found" in client.get("/no/such/part/").content.decode()


@pytest.mark.django_db
def test_a_refusal_is_a_short_403_without_the_internal_reason(client, alice, own_urls):
    client.force_login(alice)
    body = _plain(client.get("/forbidden/", **HTMX), 403)
    assert body.startswith("Not allowed:") and "internal reason" not in body


@pytest.mark.django_db
def test_a_crash_is_a_short_500_without_the_trace(own_urls):
    client = Client(raise_request_exception=False)
    body = _plain(client.get("/boom/", **HTMX), 500)
    assert body.startswith("Something went wrong on our side") and "secret internals" not in body
    assert "<h1" in client.get("/boom/").content.decode()


@pytest.mark.django_db
def test_a_stale_csrf_token_says_to_reload(alice, import_connector):
    connector = import_connector("sales-crm")
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    body = _plain(client.post(reverse("review:check_now", args=[connector.pk]), **HTMX), 403)
    assert "Reload the page" in body
