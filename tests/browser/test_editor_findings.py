"""Issue 12, item 2: after "Changes requested" the editor says what to fix, at the lines.

The last review's findings (and Check now's) mark their lines in the script editors and
are listed under the script with their hints; a link with ?goto=file:line (a finding's
line in View Code) lands on that line.
"""

import pytest
from playwright.sync_api import expect

from connectors import services
from connectors.models import ReviewState
from tests.browser.pages import collect_console_errors, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def changes_requested(alice, import_connector):
    connector = import_connector("sales-crm-xhr")
    submission = services.connector_submit(connector=connector, user=alice, visibility="company")
    submission.refresh_from_db()
    assert submission.state == ReviewState.CHANGES_REQUESTED, submission.state
    finding = submission.findings.filter(rule="no-xmlhttprequest").exclude(line=None).first()
    return connector, submission, finding


def test_it_shows_the_reviews_findings_at_their_lines_in_the_editor(page, live_server, changes_requested, screenshot):
    connector, submission, finding = changes_requested
    sign_in(page, live_server, "alice")
    errors = collect_console_errors(page)
    page.goto(f"{live_server.url}/develop/{connector.pk}/")
    feedback = page.locator("#review-feedback")
    expect(feedback).to_contain_text(f"Changes requested in version {submission.number}: what to fix")
    expect(feedback).to_contain_text("no-xmlhttprequest")

    script = page.locator(f"[data-file='{finding.file}']")
    expect(script.locator(f".code-gutter span[data-line='{finding.line}']")).to_have_class("has-error")
    note = script.locator(".code-notes .code-note").filter(has_text=f"Line {finding.line}").filter(has_text=finding.message[:40])
    expect(note).to_have_count(1)
    if finding.hint:
        expect(note).to_contain_text(finding.hint[:40])
    note.get_by_role("button", name=f"Line {finding.line}").click()
    textarea = script.locator("textarea")
    expect(textarea).to_be_focused()
    line_text = page.evaluate(
        "el => el.value.slice(el.selectionStart, el.selectionEnd)", textarea.element_handle())
    assert line_text and line_text in connector.processdata_script.splitlines()[finding.line - 1]
    screenshot("editor-with-findings")
    assert errors == []


def test_it_lists_check_now_findings_under_the_script_too(page, live_server, alice, import_connector):
    connector = import_connector("sales-crm-xhr")
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/develop/{connector.pk}/")
    page.get_by_role("button", name="Check now").click()
    expect(page.locator(".check-results")).to_be_visible()
    notes = page.locator("[data-file='processdata.js'] .code-notes .code-note")
    expect(notes.first).to_be_visible()
    expect(notes.filter(has_text="XMLHttpRequest").first).to_be_visible()


def test_it_lands_on_the_line_a_view_code_link_names(page, live_server, changes_requested):
    connector, submission, finding = changes_requested
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/develop/{connector.pk}/?goto={finding.file}:{finding.line}")
    textarea = page.locator(f"[data-file='{finding.file}'] textarea")
    expect(textarea).to_be_focused()
    start = page.evaluate("el => el.value.slice(0, el.selectionStart).split('\\n').length", textarea.element_handle())
    assert start == finding.line


def test_it_opens_view_code_on_processdata_and_leads_a_finding_to_the_editor(page, live_server, changes_requested, screenshot):
    """Item 7 and the second half of item 2."""
    connector, submission, finding = changes_requested
    sign_in(page, live_server, "alice")
    errors = collect_console_errors(page)
    page.goto(f"{live_server.url}/submissions/{submission.pk}/code/")
    expect(page.locator(".nav-pills .nav-link.active")).to_contain_text("processdata.js")
    link = page.get_by_role("link", name=f"Edit line {finding.line} in the editor").first
    expect(link).to_be_visible()
    screenshot("view-code-processdata")
    link.click()
    textarea = page.locator(f"[data-file='{finding.file}'] textarea")
    expect(textarea).to_be_focused()
    start = page.evaluate("el => el.value.slice(0, el.selectionStart).split('\\n').length", textarea.element_handle())
    assert start == finding.line
    assert errors == []
