"""Issue 12, item 3: Check now shows what the script produced, as Dev Studio does."""

import pytest
from playwright.sync_api import expect

from tests.browser.pages import collect_console_errors, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_shows_columns_first_rows_requests_and_logs_per_report(page, live_server, alice, import_connector, screenshot):
    connector = import_connector("sales-crm")
    sign_in(page, live_server, "alice")
    errors = collect_console_errors(page)
    page.goto(f"{live_server.url}/develop/{connector.pk}/")
    page.get_by_role("button", name="Check now").click()
    preview = page.get_by_test_id("check-preview")
    expect(preview).to_be_visible()
    report = preview.locator("details[data-run='processdata:Opportunities']")
    expect(report).to_have_attribute("open", "")
    expect(report.locator("summary")).to_contain_text("1,237 rows")
    table = report.get_by_role("table", name="First rows of report Opportunities")
    expect(table.locator("thead th").first).to_contain_text("id")
    expect(table.locator("tbody tr")).to_have_count(5)
    expect(table.locator("tbody tr").first).to_contain_text("OPP-00000")
    requests = report.locator("table.check-requests tbody tr")
    expect(requests).to_have_count(3)
    expect(requests.first).to_contain_text("200")
    expect(report).to_contain_text("No DOMO.log lines.")
    page.locator("#check-now").scroll_into_view_if_needed()
    screenshot("check-now-preview")

    auth = preview.locator("details[data-run='authentication']")
    auth.locator("summary").click()
    expect(auth.locator("table.check-requests")).to_contain_text("/api/session")
    assert errors == []
