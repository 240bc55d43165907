"""A refused htmx request is shown where the user acted, not swallowed.

htmx swaps nothing for a 4xx/5xx answer: before static/js/portal.js listened for
htmx:responseError, a Check now over its limit or a field the input layer refused left
the page as it was, and the user saw nothing happen.
"""

import pytest
from playwright.sync_api import expect

from review.views import check as check_views
from tests.browser.pages import collect_console_errors, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def check_queued(monkeypatch):
    """Check now queues nothing and its check stays running (the part polls each second)."""
    monkeypatch.setattr(check_views, "async_task", lambda *args, **kwargs: "t-1")
    monkeypatch.setattr(check_views, "fetch", lambda task_id: None)
    monkeypatch.setattr(check_views, "clock", lambda: check_views.CHECK_NOW_WINDOW_SECONDS * 1000 + 1.0)
    monkeypatch.setattr(check_views, "CHECK_NOW_LIMIT", 1)


def _unexpected(errors):
    # Chrome logs every 4xx answer, and htmx logs the error event; anything else is a fault.
    return [e for e in errors if "status of 4" not in e and "Response Status Error Code" not in e]


def test_check_now_over_its_limit_says_so_above_the_results(page, live_server, alice, import_connector, check_queued, screenshot):
    connector = import_connector("sales-crm")
    sign_in(page, live_server, "alice")
    errors = collect_console_errors(page)
    page.goto(f"{live_server.url}/develop/{connector.pk}/")
    check_now = page.get_by_role("button", name="Check now")
    check_now.click()
    expect(page.locator("#check-now")).to_contain_text("Running the automated checks")
    check_now.click()
    alert = page.get_by_role("alert").filter(has_text="Check now runs at most 1 time in 10 minutes")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Try again in")
    # Just above the Check now part, where its answer would have shown.
    assert page.evaluate("document.getElementById('check-now').previousElementSibling.dataset.testid") == "htmx-error"
    page.wait_for_timeout(2500)  # the running check's polls succeed meanwhile: they do not hide it
    expect(alert).to_be_visible()
    screenshot("htmx-error-check-now-limit")
    alert.get_by_role("button", name="Close").click()
    expect(alert).to_have_count(0)
    assert _unexpected(errors) == []


def test_a_field_the_input_layer_refuses_is_named_in_the_alert(page, live_server, alice, import_connector, check_queued):
    connector = import_connector("sales-crm")
    sign_in(page, live_server, "alice")
    errors = collect_console_errors(page)
    page.goto(f"{live_server.url}/develop/{connector.pk}/")
    expect(page.locator("#check-now")).to_be_attached()
    # The Check now form has no text field of its own: give it one holding a NUL, as a
    # pasted value would (page.evaluate goes through DevTools, not the page's CSP).
    page.evaluate("""() => {
        const form = document.querySelector("form[hx-post]");
        const input = Object.assign(document.createElement("input"), {type: "hidden", name: "note", value: "a\\u0000b"});
        form.appendChild(input);
    }""")
    page.get_by_role("button", name="Check now").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The field 'note' contains a NUL character at character 2; remove it and send again.")
    assert _unexpected(errors) == []
