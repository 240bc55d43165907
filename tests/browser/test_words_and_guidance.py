"""Issue 20, items 4 and 12 in a browser: a connector built from scratch meets the parts by the
editor's names (one glossary), and the Samples box leads to a page the app serves with the
account names of every sign-in method."""

import re

import pytest
from playwright.sync_api import expect

from connectors.glossary import PARTS
from tests.browser.pages import collect_console_errors, screenshot_of, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("empty_cache")]


def test_the_completeness_list_names_the_parts_as_the_editor_does(page, live_server, alice):
    sign_in(page, live_server, "alice")
    errors = collect_console_errors(page)
    page.goto(f"{live_server.url}/develop/")
    page.get_by_label("Name").fill("From scratch")
    page.get_by_role("button", name="Create").click()
    page.get_by_role("link", name="Submit", exact=True).click()
    missing = page.locator("#missing")
    expect(missing).to_contain_text("cannot be submitted yet")
    names = missing.locator("li strong").all_inner_texts()
    assert set(names) <= set(PARTS.values()), set(names) - set(PARTS.values())
    assert "Logo banner without background" in names
    text = missing.inner_text()
    assert not re.search(r"icons/|\.js\b|\.png\b|connector\.json|\$\.", text), text
    screenshot_of(missing, "words-completeness-list")

    missing.get_by_role("link", name=re.compile("^Logo banner without background")).click()
    expect(page.locator("input[name='icon_logo_without_background']")).to_be_visible()
    expect(page.get_by_text("Logo banner without background", exact=True).first).to_be_visible()
    assert errors == []


def test_the_samples_box_links_to_the_format_the_app_serves(page, live_server, alice, import_connector):
    connector = import_connector("sales-crm")
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/develop/{connector.pk}/")
    with page.context.expect_page() as opened:
        page.get_by_test_id("samples-help").click()
    help_page = opened.value
    help_page.wait_for_load_state()
    expect(help_page.get_by_role("heading", level=1)).to_contain_text("The Samples box")
    names = help_page.get_by_test_id("account-names")
    expect(names.locator("tr[data-auth-method='api_key']")).to_contain_text("metadata.account.apikey")
    expect(names.locator("tr[data-auth-method='username_password']")).to_contain_text(
        "metadata.account.username and metadata.account.password")
    expect(names.locator("tr[data-auth-method='oauth2']")).to_contain_text("metadata.account.accesstoken")
    screenshot_of(help_page.locator("main"), "words-samples-format-page")
