"""Issue 12, item 9: the engineers' console in the admin."""

import pytest
from playwright.sync_api import expect

from review import services as review_services
from tests.browser.pages import collect_console_errors
from tests.review.admin_support import in_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rgb(locator):
    return locator.evaluate("el => getComputedStyle(el).backgroundColor")


def test_it_keeps_the_actions_at_hand_and_marks_the_destructive_ones(page, live_server, alice, erin, import_connector, monkeypatch, screenshot):
    monkeypatch.setattr(review_services, "queue_review", lambda submission_id: None)
    in_review(import_connector("sales-crm"), alice)
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("erin")
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Sign in").click()
    errors = collect_console_errors(page)

    # The portal's "Review queue" leads to the open submissions, not the admin index.
    page.get_by_role("link", name="Review queue").click()
    expect(page).to_have_url(f"{live_server.url}/admin/connectors/submission/")
    expect(page.locator("#result_list")).to_contain_text("Example Sales CRM")
    page.locator("#result_list a").filter(has_text="Example Sales CRM").first.click()

    actions = page.locator("#actions")
    fail = actions.get_by_role("button", name="Fail security test")
    sign_off = actions.get_by_role("button", name="Sign off security test")
    assert _rgb(fail) == "rgb(186, 33, 33)"
    assert _rgb(sign_off) != _rgb(fail)
    expect(actions.locator(".security-evidence")).to_contain_text("2 requests observed, 1 to undeclared hosts")
    # Where the data goes sits right under the actions, before the phases and the code.
    order = page.evaluate("""() => ['actions', 'data-flow', 'requests', 'phases', 'code'].map(id => document.getElementById(id).getBoundingClientRect().top + scrollY)""")
    assert order == sorted(order)
    screenshot("admin-console-top")

    page.locator("#code").scroll_into_view_if_needed()
    page.mouse.wheel(0, 1500)
    page.wait_for_timeout(200)
    expect(fail).to_be_in_viewport()  # sticky: still at hand deep in the code
    screenshot("admin-console-reading-code")
    assert errors == []
