"""Errors show the portal's own pages, never Django's or a stack trace."""

import pytest
from django.test import Client
from django.urls import path

from portal import urls as portal_urls


def _boom(request):
    raise RuntimeError("secret internals")


@pytest.fixture
def broken_url(settings):
    settings.ROOT_URLCONF = __name__
    return "/boom/"


urlpatterns = [path("boom/", _boom), *portal_urls.urlpatterns]


def test_it_shows_its_own_404(client, alice):
    client.force_login(alice)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_it_shows_its_own_500_without_the_trace(db, broken_url):
    client = Client(raise_request_exception=False)
    response = client.get(broken_url)
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in body and "secret internals" not in body
