"""Issue 12, item 10: the small things, in a browser.

A phone-wide window (390 px): the navbar collapses behind a menu button and the Develop
table keeps its actions on screen. /favicon.ico answers. The missing-parts list names
fields, not JSON paths. A duplicate name is refused beside the field.
"""

import pytest
from playwright.sync_api import expect

from connectors import services
from tests.browser.pages import collect_console_errors, open_panel, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_collapses_the_navbar_and_keeps_the_develop_actions_on_a_phone(page, live_server, alice, import_connector, screenshot):
    import_connector("sales-crm")
    connector = import_connector("workspaces-discovery")
    services.connector_submit(connector=connector, user=alice, visibility="company")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_phone(page, live_server)
    errors = collect_console_errors(page)
    page.goto(f"{live_server.url}/develop/")
    nav = page.locator("#main-nav")
    expect(nav.get_by_role("link", name="Data Center")).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(nav.get_by_role("link", name="Data Center")).to_be_visible()
    expect(nav).to_have_class("navbar-collapse collapse show")  # opened, not still sliding
    screenshot("navbar-phone-open")
    page.get_by_role("button", name="Menu").click()
    expect(nav.get_by_role("link", name="Data Center")).to_be_hidden()

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for button in page.locator(".connector-actions a").all():
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, button.text_content()
    screenshot("develop-phone")
    assert errors == []


def sign_in_phone(page, live_server):
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Develop")).to_be_visible()


def test_it_serves_a_favicon(page, live_server):
    response = page.goto(f"{live_server.url}/favicon.ico")
    assert response.status == 200
    assert response.headers["content-type"] in ("image/x-icon", "image/vnd.microsoft.icon")


def test_it_names_missing_fields_by_their_label(page, live_server, alice, acme, screenshot):
    connector = services.connector_create(company=acme, user=alice, name="Half done")
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/develop/{connector.pk}/submit/")
    parts = page.locator(".missing-parts")
    expect(parts).to_contain_text("Description:")
    expect(parts).to_contain_text("Hosts:")
    expect(parts).not_to_contain_text("$.")
    screenshot("missing-fields-labels")
    parts.get_by_role("link", name="Hosts:").click()
    expect(page).to_have_url(f"{live_server.url}/develop/{connector.pk}/#field-hosts")
    expect(page.locator("#field-hosts textarea")).to_be_in_viewport()


def test_it_refuses_a_second_connector_with_the_same_name(page, live_server, alice, acme):
    services.connector_create(company=acme, user=alice, name="Orders")
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/develop/")
    open_panel(page, "new-connector", "New connector")
    page.locator("#new-connector").get_by_label("Name").fill("orders")
    page.locator("#new-connector").get_by_role("button", name="Create").click()
    expect(page.get_by_role("alert").filter(has_text="already has a connector named")).to_be_visible()
    assert acme.connectors.count() == 1
