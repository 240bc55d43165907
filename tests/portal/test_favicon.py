"""/favicon.ico, which every browser asks for whatever the page says."""

from django.contrib.staticfiles import finders


def test_it_redirects_favicon_ico_to_the_static_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/favicon.ico"
    assert finders.find("favicon.ico")  # the browser test fetches it through the live server
