"""Issue 12, item 8: questions and answers between the reviewers and the developers."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from review import services as review_services
from review.models import Message
from tests.browser.pages import collect_console_errors, screenshot_of, sign_in
from tests.review.admin_support import in_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_carries_a_question_from_the_admin_to_the_status_window_and_back(browser, live_server, alice, erin, import_connector, settings, monkeypatch):
    settings.STATUS_PEOPLE_POLL_SECONDS = 1
    monkeypatch.setattr(review_services, "queue_review", lambda submission_id: None)  # the test sets the phases
    submission = in_review(import_connector("sales-crm"), alice)
    developer = browser.new_page()
    sign_in(developer, live_server, "alice")
    errors = collect_console_errors(developer)
    developer.goto(f"{live_server.url}/submissions/{submission.pk}/")
    expect(developer.get_by_text("No questions from the reviewers")).to_be_visible()

    engineer = browser.new_page()
    engineer.set_default_timeout(15_000)
    engineer.goto(f"{live_server.url}/admin/login/")
    engineer.get_by_label("Username").fill("erin")
    engineer.get_by_label("Password").fill("pw")
    engineer.get_by_role("button", name="Log in").click()
    engineer.goto(f"{live_server.url}/admin/connectors/submission/{submission.pk}/change/")
    engineer.get_by_label("Question for the developers").fill("Which report should we try first?")
    engineer.get_by_role("button", name="Ask the developers").click()
    expect(engineer.get_by_text("Your question was sent to Acme.")).to_be_visible()
    assert any("Which report should we try first?" in m.body for m in mail.outbox)

    # The open status window shows it by itself (the live part), then offers the answer box after a reload.
    thread = developer.get_by_test_id("conversation")
    expect(thread).to_contain_text("Which report should we try first?", timeout=10_000)
    developer.reload()
    developer.get_by_label("Answer the reviewers").fill("Opportunities: it has three pages.")
    developer.get_by_role("button", name="Send answer").click()
    expect(developer.get_by_role("alert").filter(has_text="Your answer was sent")).to_be_visible()
    expect(thread.locator("li[data-from='developer']")).to_contain_text("Opportunities: it has three pages.")
    expect(developer.get_by_test_id("history")).to_contain_text("Question from the reviewers")
    settings.STATUS_PEOPLE_POLL_SECONDS = 60  # the next poll slows down: a still page for the pictures
    developer.wait_for_timeout(1500)
    developer.screenshot(path=str(_shot("conversation-status-window-page")), full_page=True)
    screenshot_of(developer.locator("#conversation-thread"), "conversation-status-window")

    engineer.reload()
    expect(engineer.locator("#conversation")).to_contain_text("Opportunities: it has three pages.")
    engineer.screenshot(path=str(_shot("conversation-admin")), full_page=True)
    assert [m.from_engineer for m in Message.objects.order_by("pk")] == [True, False]
    assert errors == []


def _shot(name):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
