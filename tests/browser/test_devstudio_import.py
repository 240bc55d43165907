"""Issue 20, item 9, in a real browser: uploading an unfinished Dev Studio export that holds
stored credentials shows one grouped summary (converted, dropped, not expressible, what
the draft still needs), never a box per note."""

import json

import pytest
from playwright.sync_api import expect

from connectors.models import Connector
from tests.browser.pages import collect_console_errors, open_panel, screenshot_of, sign_in
from tests.connectors.test_devstudio_import import _export_files, _zip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _unfinished_export() -> bytes:
    """The fixture export with no authentication type chosen, a password stored in two
    files that disagree (the old import said "dropped" and "the value ... was used")."""
    files = _export_files(type=None)
    for name, password in (("connector.json", "stored-one-4711"), ("authenticationSection.json", "stored-two-4711")):
        data = json.loads(files[name])
        data["password"] = password
        files[name] = json.dumps(data).encode()
    return _zip(files, top="MyConnector-main/")


def test_a_dev_studio_upload_shows_one_grouped_summary(page, live_server, alice, acme, screenshot):
    sign_in(page, live_server, "alice")
    errors = collect_console_errors(page)
    page.goto(f"{live_server.url}/develop/")
    box = open_panel(page, "upload-bundle", "Upload bundle")
    box.locator("input[name=bundle]").set_input_files(
        {"name": "my-connector.zip", "mimeType": "application/zip", "buffer": _unfinished_export()})
    box.get_by_role("button", name="Upload").click()

    summary = page.locator("[data-import-summary]")
    expect(summary).to_contain_text("my-connector.zip was imported as AWS Copy, converted from Domo's Dev Studio layout.")
    expect(page.locator("main .alert[role=alert]")).to_have_count(1)  # one box, not seven
    groups = summary.locator("[data-group]")
    expect(groups).to_have_count(4)
    assert [groups.nth(i).get_attribute("data-group") for i in range(4)] == [
        "converted", "dropped", "not_expressible", "missing"]

    dropped = summary.locator("[data-group=dropped]")
    expect(dropped).to_contain_text("password in connector.json, authenticationSection.json")
    expect(dropped).to_contain_text("domoClientSecret")
    expect(summary).not_to_contain_text("was used")  # the password is dropped, not "used"
    expect(summary).not_to_contain_text("stored-one-4711")
    expect(summary.locator("[data-group=converted]")).to_contain_text("s3.us-east-1.amazonaws.com")
    expect(summary.locator("[data-group=not_expressible]")).to_contain_text("testingProfiles")
    missing = summary.locator("[data-group=missing]")
    expect(missing).to_contain_text("Saved as a draft")
    expect(missing.locator("li[data-field='auth.method']")).to_contain_text("Authentication method")
    screenshot_of(page.locator("main .alert[role=alert]"), "daily-devstudio-import-summary")
    screenshot("devstudio-import-summary")

    # The draft is there, and the editor asks for the method rather than picking one.
    connector = Connector.objects.get()
    assert connector.auth_method == "" and connector.name == "AWS Copy"
    expect(page.get_by_label("Authentication method")).to_have_value("")
    missing.get_by_role("link", name="Authentication method").click()
    expect(page.locator("#field-auth-method")).to_be_in_viewport()
    assert errors == []
