"""Issue 12, item 1: edits are never lost silently in the editor.

Leaving with unsaved changes asks first; Check now and Submit (which use the saved
draft) say plainly that there are unsaved changes and offer to save before going on.
"""

import pytest
from playwright.sync_api import expect

from connectors.models import Connector
from tests.browser.pages import collect_console_errors, sign_in, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor(page, live_server, alice, import_connector):
    connector = import_connector("sales-crm")
    sign_in(page, live_server, "alice")
    errors = collect_console_errors(page)
    page.goto(f"{live_server.url}/develop/{connector.pk}/")
    return page, connector, errors


def test_it_asks_before_leaving_with_unsaved_changes(editor):
    page, connector, errors = editor
    state = page.locator("[data-save-state]")
    expect(state).to_contain_text("All changes saved")
    page.get_by_label("Description").fill("Typed, not saved")
    expect(state).to_contain_text("Unsaved changes")

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Develop").first.click()
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    expect(page.get_by_label("Description")).to_have_value("Typed, not saved")

    # Saving is not leaving: no question, and the text is kept.
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="was saved")).to_be_visible()
    assert dialogs == ["beforeunload"]
    assert Connector.objects.get(pk=connector.pk).description == "Typed, not saved"
    assert errors == []


def test_it_saves_then_opens_the_submission_modal_with_the_new_text(editor, screenshot):
    page, connector, errors = editor
    page.get_by_label("Description").fill("Saved on the way to Submit")
    page.get_by_role("link", name="Submit", exact=True).click()
    unsaved = page.get_by_role("dialog", name="You have unsaved changes")
    expect(unsaved).to_be_visible()
    expect(unsaved).to_contain_text("Submit uses the saved draft")  # issue 20, item 12
    expect(page.locator("#submission-modal")).to_be_hidden()
    screenshot("editor-unsaved-changes")

    unsaved.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("dialog", name="Connector Submission")).to_be_visible()
    assert Connector.objects.get(pk=connector.pk).description == "Saved on the way to Submit"
    assert "then=" not in page.url
    assert errors == []


def test_it_discards_on_request_then_runs_check_now_on_the_saved_draft(editor):
    page, connector, errors = editor
    before = connector.description
    page.get_by_label("Description").fill("Thrown away")
    page.get_by_role("button", name="Check now").click()
    unsaved = page.get_by_role("dialog", name="You have unsaved changes")
    expect(unsaved).to_contain_text("Check now use")
    unsaved.get_by_role("button", name="Discard changes and continue").click()
    expect(page.locator(".check-results")).to_be_visible()
    expect(page.get_by_label("Description")).to_have_value(before)
    assert Connector.objects.get(pk=connector.pk).description == before
    assert errors == []


def test_it_lets_a_clean_editor_go_without_asking(editor):
    page, connector, errors = editor
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("button", name="Check now").click()
    expect(page.locator(".check-results")).to_be_visible()
    page.get_by_role("link", name="Develop").first.click()
    expect(page.get_by_role("heading", name="Develop")).to_be_visible()
    assert dialogs == [] and errors == []


def test_it_works_from_the_keyboard(editor):
    page, connector, errors = editor
    page.get_by_label("Description").focus()
    page.keyboard.press("End")
    page.keyboard.type(" and more")
    page.get_by_role("button", name="Check now").focus()
    page.keyboard.press("Enter")
    unsaved = page.get_by_role("dialog", name="You have unsaved changes")
    expect(unsaved).to_be_visible()
    wait_until(page, "document.activeElement && document.activeElement.closest('#unsaved-modal') !== null")
    page.wait_for_timeout(400)  # the fade-in ends before Bootstrap listens for Escape
    page.keyboard.press("Escape")
    expect(unsaved).to_be_hidden()
    wait_until(page, "document.activeElement && document.activeElement.dataset.needsSaved === 'check'", timeout=3000)
    # Again, and this time save with the keyboard: Tab to "Save and continue", Enter.
    page.keyboard.press("Enter")
    expect(unsaved).to_be_visible()
    # As above: Bootstrap moves the focus into the dialog when its fade-in ends, which on a
    # loaded machine came after our focus() and took it back from the button.
    wait_until(page, "document.activeElement && document.activeElement.closest('#unsaved-modal') !== null")
    page.wait_for_timeout(400)
    save = unsaved.get_by_role("button", name="Save and continue")
    save.focus()
    expect(save).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".check-results")).to_be_visible()
    assert Connector.objects.get(pk=connector.pk).description.endswith(" and more")
    assert errors == []
