"""Signed out while a part polls: the whole page goes to sign-in and comes back after it.

Before portal/htmx_login.py the poll followed login_required's redirect and htmx swapped
the sign-in page into the status window's live part."""

import re

import pytest
from playwright.sync_api import expect

from connectors import services
from review import services as review_services
from tests.browser.pages import collect_console_errors, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_signed_out_in_another_tab_the_status_page_goes_to_sign_in_and_back(
    page, live_server, alice, import_connector, monkeypatch, settings
):
    settings.STATUS_PEOPLE_POLL_SECONDS = 1
    monkeypatch.setattr(review_services, "queue_review", lambda submission_id: None)
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    sign_in(page, live_server, "alice")
    errors = collect_console_errors(page)
    status = f"/submissions/{submission.pk}/"
    page.goto(f"{live_server.url}{status}")
    expect(page.locator("#status-live")).to_have_attribute("data-polling", "on")

    other = page.context.new_page()  # the other tab signs out: the session ends for both
    other.goto(f"{live_server.url}/")
    other.get_by_role("button", name="Sign out").click()
    # Closed only once its sign-out has landed: Playwright's close() has no timeout, and a
    # page closed while its navigation commits can wait for ever (Chromium drops the close:
    # crbug.com/536385539, microsoft/playwright#42068). It did here, one run in twenty.
    expect(other).to_have_url(re.compile(r"/accounts/login/"))
    other.close()

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=" + re.escape(status) + "$"), timeout=10_000)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_test_id("htmx-error")).to_have_count(0)
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}{status}")
    expect(page.locator("#status-live")).to_be_visible()
    # Chrome logs the 401 itself; nothing else may go wrong.
    assert [e for e in errors if "status of 401" not in e] == []
