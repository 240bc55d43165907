"""The navbar leads to the runs history (runs:history), for signed-in users only."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

HISTORY = reverse("runs:history")
RUNS_LINK = f'href="{HISTORY}">Runs</a>'


def test_a_signed_in_user_finds_runs_in_the_navbar(client, alice):
    client.force_login(alice)
    page = client.get("/develop/").content.decode()
    nav = page.split('id="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert RUNS_LINK in nav
    assert f'class="nav-link" href="{HISTORY}"' in nav  # not marked as the page being shown


def test_the_history_page_marks_runs_as_where_the_user_is(client, alice):
    client.force_login(alice)
    page = client.get(HISTORY).content.decode()
    assert f'class="nav-link active" aria-current="page" href="{HISTORY}">Runs</a>' in page


def test_a_run_of_the_history_marks_runs_as_its_section(client, alice):
    from portal.nav import nav_entries

    request = client.get(HISTORY).wsgi_request  # a signed-out visit: no entries at all
    assert nav_entries(request) == {"nav_entries": []}
    client.force_login(alice)
    request = client.get(HISTORY).wsgi_request
    request.path = HISTORY + "1/"  # another page of the section
    assert nav_entries(request)["nav_entries"][0]["current"] == "section"


def test_a_visitor_who_is_not_signed_in_does_not_see_it(client):
    page = client.get(reverse("login")).content.decode()
    assert HISTORY not in page
