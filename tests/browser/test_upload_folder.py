"""Choosing a folder instead of a zip, in a real browser: portal.js sends each file's
relative path beside it, for our own layout and for a Dev Studio export, on the Develop
page and in the editor."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from connectors.models import Connector
from tests.browser.pages import collect_console_errors, open_panel, sign_in

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SALES_CRM = FIXTURES / "bundles" / "sales-crm"
DEVSTUDIO = FIXTURES / "devstudio" / "aws-copy"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_upload(page, live_server):
    page.goto(f"{live_server.url}/develop/")
    box = open_panel(page, "upload-bundle", "Upload bundle")
    expect(box.locator("input[name=folder]")).to_be_visible()  # shown by portal.js
    return box


def test_a_folder_of_our_layout_uploads_from_the_develop_page(page, live_server, alice, acme, screenshot):
    sign_in(page, live_server, "alice")
    errors = collect_console_errors(page)
    box = _open_upload(page, live_server)
    box.locator("input[name=folder]").set_input_files(str(SALES_CRM))
    box.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("The folder sales-crm was imported as Example Sales CRM.")).to_be_visible()
    connector = Connector.objects.get()
    assert connector.files.filter(path="icons/icon_with_background.png").exists()
    assert connector.files.filter(path__startswith="samples/").exists()
    screenshot("upload-folder-imported")
    assert errors == []


def test_a_dev_studio_folder_is_converted_and_its_notes_shown(page, live_server, alice, acme):
    sign_in(page, live_server, "alice")
    box = _open_upload(page, live_server)
    box.locator("input[name=folder]").set_input_files(str(DEVSTUDIO))
    box.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("The folder aws-copy was imported as AWS Copy, converted from Domo's Dev Studio layout."
                            )).to_be_visible()
    expect(page.get_by_text("samples.responses")).to_be_visible()
    assert Connector.objects.get().name == "AWS Copy"


def test_the_editor_replaces_the_draft_from_a_folder(page, live_server, alice, import_connector):
    connector = import_connector("sales-crm")
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/develop/{connector.pk}/")
    page.wait_for_load_state("networkidle")  # Check now's result loads after the page; let it settle first
    page.get_by_role("button", name="Upload bundle").click()
    box = page.locator("#replace-bundle")
    expect(box.locator("input[name=folder]")).to_be_visible(timeout=15_000)  # open, and shown by portal.js
    box.locator("input[name=folder]").set_input_files(str(DEVSTUDIO))
    box.get_by_role("button", name="Replace the draft with this bundle").click()
    expect(page.get_by_text("The folder aws-copy replaced the connector's draft, converted from Domo's Dev Studio "
                            "layout.")).to_be_visible()
    connector.refresh_from_db()
    assert connector.name == "AWS Copy"
