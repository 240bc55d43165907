"""The runs history is one click from the navbar (it had no link anywhere)."""

import pytest
from playwright.sync_api import expect

from tests.browser.pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_runs_in_the_navbar_leads_to_the_history(page, live_server, alice):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("navigation").get_by_role("link", name="Runs")).to_have_count(0)  # not signed in
    sign_in(page, live_server, "alice")
    runs = page.get_by_role("navigation").get_by_role("link", name="Runs")
    runs.click()
    expect(page.get_by_role("heading", name="Your runs")).to_be_visible()
    expect(runs).to_have_attribute("aria-current", "page")
