"""Issue 21, items 5 and 7 in a browser: the developers contest a decision in the status window,
an engineer finds it in the queue's "contested" filter and reverses it; "Request changes" with
standard reasons reaches the editor's "What to fix" with its links to the rules page."""

import pytest
from playwright.sync_api import expect

from connectors import services
from review import services as review_services
from review.models import Contest
from tests.browser.pages import collect_console_errors, screenshot_of, sign_in
from tests.review.admin_support import in_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _engineer(browser, live_server):
    page = browser.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("erin")
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()
    return page


def test_a_contest_goes_from_the_status_window_to_the_queue_and_is_reversed(
        browser, live_server, alice, erin, import_connector, monkeypatch):
    monkeypatch.setattr(review_services, "queue_review", lambda submission_id: None)  # the test sets the phases
    submission = in_review(import_connector("sales-crm"), alice)
    services.submission_request_changes(submission=submission, user=erin, note="Use the v2 endpoint.")
    developer = browser.new_page()
    sign_in(developer, live_server, "alice")
    errors = collect_console_errors(developer)
    developer.goto(f"{live_server.url}/submissions/{submission.pk}/")
    developer.get_by_label("Contest the requested changes").fill("The v1 endpoint is the only one our customers have.")
    developer.get_by_role("button", name="Contest the decision").click()
    expect(developer.get_by_role("alert").filter(has_text="Your contest was sent")).to_be_visible()
    expect(developer.get_by_test_id("contest-open")).to_be_visible()
    expect(developer.get_by_test_id("conversation")).to_contain_text("Contests the decision")
    screenshot_of(developer.locator("#conversation-thread"), "contest-status-window")

    engineer = _engineer(browser, live_server)
    engineer.goto(f"{live_server.url}/admin/connectors/submission/")
    engineer.get_by_role("link", name="1 contested decision").click()
    expect(engineer.locator("#result_list")).to_contain_text("The v1 endpoint is the only one")
    engineer.screenshot(path=str(_shot("contest-queue")), full_page=True)
    engineer.locator("#result_list a", has_text="v1").first.click()
    engineer.get_by_label("Answer to the contest").fill("You are right: v2 is not available to them yet.")
    engineer.get_by_role("button", name="Reverse it: back into review").click()
    expect(engineer.get_by_text("Reversed the contested decision")).to_be_visible()
    expect(engineer.locator("#conversation")).to_contain_text("The decision is reversed")
    engineer.screenshot(path=str(_shot("contest-admin-reversed")), full_page=True)
    assert Contest.objects.get().outcome == "reversed"

    developer.reload()
    expect(developer.get_by_test_id("review-state")).to_have_text("In review")
    assert errors == []


def test_standard_reasons_reach_the_editors_what_to_fix(browser, live_server, alice, erin, import_connector, monkeypatch):
    monkeypatch.setattr(review_services, "queue_review", lambda submission_id: None)
    submission = in_review(import_connector("sales-crm"), alice)
    engineer = _engineer(browser, live_server)
    engineer.goto(f"{live_server.url}/admin/connectors/submission/{submission.pk}/change/")
    send_back = engineer.locator("form", has=engineer.get_by_role("button", name="Request changes"))
    send_back.get_by_label("Minified or obfuscated code").check()
    send_back.get_by_label("Hard-coded credentials").check()
    send_back.get_by_label("What the developer should change").fill("processdata.js line 1 is packed.")
    screenshot_of(send_back, "reasons-request-changes-form")
    send_back.get_by_role("button", name="Request changes").click()
    expect(engineer.get_by_text(f"Requested changes on {submission}")).to_be_visible()

    developer = browser.new_page()
    sign_in(developer, live_server, "alice")
    errors = collect_console_errors(developer)
    developer.goto(f"{live_server.url}/develop/{submission.connector_id}/")
    reasons = developer.get_by_test_id("request-reasons")
    expect(reasons).to_contain_text("Minified or obfuscated code")
    expect(reasons).to_contain_text("Hard-coded credentials")
    screenshot_of(developer.locator("#review-feedback"), "reasons-what-to-fix")
    with developer.context.expect_page() as opened:
        reasons.get_by_role("link", name="The rule").first.click()
    rules = opened.value
    expect(rules.locator("#no-minified-code")).to_be_visible()
    assert rules.url.endswith("#no-minified-code")
    assert errors == []


def _shot(name):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
