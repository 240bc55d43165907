"""Issue 12, items 4 and 5: the Connector Submission modal promises only what it can
keep, and each step says Domo's words and dates."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.pages import collect_console_errors, screenshot_of, sign_in, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_modal(page, live_server, connector):
    page.goto(f"{live_server.url}/develop/{connector.pk}/")
    page.get_by_role("link", name="Submit", exact=True).click()
    dialog = page.get_by_role("dialog", name="Connector Submission")
    expect(dialog).to_be_visible()
    return dialog


def test_it_says_in_the_modal_that_an_oauth2_connector_cannot_be_self_published(page, live_server, alice, import_connector, screenshot):
    connector = import_connector("oauth2-tasks")
    sign_in(page, live_server, "alice")
    errors = collect_console_errors(page)
    dialog = _open_modal(page, live_server, connector)
    refusal = dialog.get_by_test_id("no-self-publish")
    expect(refusal).to_contain_text("Self Publish is not available")
    expect(refusal).to_contain_text("OAuth 2.0")
    expect(dialog.get_by_test_id("self-publish-offer")).to_have_count(0)
    expect(dialog.get_by_text("give a test username and password").first).to_be_visible()
    screenshot("submission-modal-oauth2-page")
    screenshot_of(dialog.locator(".modal-content"), "submission-modal-oauth2")
    assert errors == []


@pytest.mark.parametrize("bundle, reason", [("workspaces-discovery", "discovery parameter")])
def test_it_says_it_for_a_discovery_parameter_too(page, live_server, alice, import_connector, bundle, reason):
    connector = import_connector(bundle)
    sign_in(page, live_server, "alice")
    dialog = _open_modal(page, live_server, connector)
    expect(dialog.get_by_test_id("no-self-publish")).to_contain_text(reason)


def test_it_gives_the_beta_length_and_end_date_then_well_done(page, live_server, alice, import_connector, settings, screenshot):
    settings.BETA_DAYS = 14
    connector = import_connector("sales-crm")
    sign_in(page, live_server, "alice")
    errors = collect_console_errors(page)
    dialog = _open_modal(page, live_server, connector)
    ends = (timezone.localdate() + timedelta(days=14)).strftime("%-d %B %Y")
    expect(dialog.get_by_test_id("self-publish-offer")).to_contain_text(f"for 14 days: your company can use it right away, until {ends}")
    dialog.get_by_label("Shared with your company").check()
    dialog.get_by_role("button", name="Continue Submission").click()

    expect(page.get_by_test_id("beta-terms")).to_contain_text(f"for 14 days, until {ends}")
    expect(page.get_by_text("Updates on the review come by email too")).to_be_visible()
    screenshot("submitted-company-beta-terms")
    page.get_by_role("button", name="Self Publish").click()
    beta = page.get_by_role("dialog", name="Beta published")
    expect(beta.get_by_test_id("well-done")).to_have_text("Well done! Your beta is live.")
    beta.get_by_role("button", name="Done").click()
    expect(beta).to_be_hidden()
    assert errors == []


def test_it_congratulates_on_a_public_submission_with_the_review_date(page, live_server, alice, import_connector, settings, screenshot):
    settings.REVIEW_DUE_DAYS = 30
    connector = import_connector("sales-crm")
    sign_in(page, live_server, "alice")
    dialog = _open_modal(page, live_server, connector)
    due = (timezone.localdate() + timedelta(days=30)).strftime("%-d %B %Y")
    expect(dialog).to_contain_text(f"up to 30 days (by {due} if you submit today)")
    dialog.get_by_label("Public to all companies").check()
    dialog.get_by_role("button", name="Continue Submission").click()
    expect(page.get_by_test_id("congratulations")).to_contain_text("Congratulations!")
    expect(page.get_by_text(re.compile(f"takes up to 30 days: expect the outcome by {due}"))).to_be_visible()
    expect(page.get_by_text("Emails will follow")).to_be_visible()
    screenshot("submitted-public-congratulations")


def test_it_returns_focus_to_the_page_when_the_beta_dialog_closes(page, live_server, alice, import_connector):
    from connectors import services

    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/develop/submissions/{submission.pk}/submitted/")
    page.get_by_role("button", name="Self Publish").click()
    beta = page.get_by_role("dialog", name="Beta published")
    expect(beta).to_be_visible()
    wait_until(page, "document.activeElement && document.activeElement.closest('#beta-dialog') !== null")
    page.wait_for_timeout(400)  # the fade-in ends before Bootstrap listens for Escape
    page.keyboard.press("Escape")
    expect(beta).to_be_hidden()
    # Bootstrap sends hidden.bs.modal once the backdrop has faded out.
    wait_until(page, "document.activeElement.tagName === 'H1'", timeout=3000)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") != "BODY"
