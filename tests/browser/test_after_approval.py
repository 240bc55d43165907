"""Issue 21 in a real browser: take down and unpublish (item 1), roll back (item 2), release
notes (item 4). Screenshots go to test-results/screenshots/ (the cited ones to docs/screenshots/)."""

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from connectors import services
from connectors.models import ReviewState, Submission
from review import services as review_services
from tests.browser.pages import screenshot_of, sign_in
from tests.conftest import approve
from tests.review.admin_support import change_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("empty_cache")]


@pytest.fixture
def no_machine(monkeypatch):
    monkeypatch.setattr(review_services, "queue_review", lambda submission_id: None)  # the test sets the phases


def _admin_sign_in(page, live_server, username="erin"):
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.locator("input[type=submit]").click()
    expect(page.locator("#site-name")).to_be_visible()


def _company_versions(connector, alice, *notes):
    return [Submission.objects.get(pk=approve(services.connector_submit(
        connector=connector, user=alice, visibility="company", release_notes=note)).pk) for note in notes]


def _private_url(live_server, submission):
    return live_server.url + reverse("submissions:private", args=[submission.private_token])


def test_item1_an_engineer_takes_a_connector_down_and_its_private_url_answers_410(
        page, browser, live_server, alice, erin, import_connector, no_machine):
    (v1,) = _company_versions(import_connector("sales-crm"), alice, "")
    _admin_sign_in(page, live_server)
    page.goto(f"{live_server.url}{change_url(v1)}")
    form = page.locator("#take-down")
    form.get_by_label("Why it is taken down").fill("It posts the rows to an undeclared host.")
    form.get_by_role("button", name="Take down the whole connector").click()
    expect(page.locator(".messagelist")).to_contain_text("Took down every approved version of Example Sales CRM.")
    expect(page.get_by_text("Re-list this version")).to_be_visible()

    developer = browser.new_page()
    sign_in(developer, live_server, "alice")
    response = developer.goto(_private_url(live_server, v1))
    assert response.status == 410
    expect(developer.get_by_role("heading", name="Example Sales CRM is no longer available here")).to_be_visible()
    expect(developer.get_by_text("This connector was taken down by the review engineers.")).to_be_visible()
    expect(developer.get_by_test_id("connector-card")).to_have_count(0)  # the plain page, nothing of the connector
    screenshot_of(developer.locator("main"), "after-approval-taken-down-410")
    developer.close()


def test_item1_a_developer_unpublishes_their_own_connector(page, live_server, alice, import_connector, no_machine):
    (v1,) = _company_versions(import_connector("sales-crm"), alice, "")
    sign_in(page, live_server, "alice")
    page.goto(live_server.url + reverse("submissions:list", args=[v1.connector_id]))
    form = page.locator("#unpublish")
    form.get_by_label("Why (the history and the email show it)").fill("We moved to the vendor's own connector.")
    form.get_by_role("button", name="Unpublish").click()
    expect(page.get_by_text("Example Sales CRM was unpublished; a review engineer can re-list it.")).to_be_visible()
    expect(page.locator("#unpublish")).to_have_count(0)
    assert Submission.objects.get(pk=v1.pk).state == ReviewState.UNPUBLISHED
    response = page.goto(_private_url(live_server, v1))
    assert response.status == 410
    expect(page.get_by_text("This connector was unpublished by its developers.")).to_be_visible()


def test_item2_a_developer_rolls_back_and_the_private_url_shows_the_earlier_version(
        page, live_server, alice, import_connector, no_machine):
    v1, v2 = _company_versions(import_connector("sales-crm"), alice, "First cut.", "Pages through the deals.")
    sign_in(page, live_server, "alice")
    page.goto(live_server.url + reverse("submissions:list", args=[v1.connector_id]))
    expect(page.get_by_test_id("roll-back-2")).to_have_count(0)  # the version in use offers none
    roll_back = page.get_by_test_id("roll-back-1")
    roll_back.get_by_text("Roll back to this version").click()
    roll_back.get_by_label("Why (the history and the email show it)").fill("Version 2 times out on our account.")
    screenshot_of(page.locator("table"), "after-approval-roll-back-form")
    mail.outbox.clear()
    roll_back.get_by_role("button", name="Roll back to version 1").click()
    expect(page.get_by_text("Version 1 of Example Sales CRM is in use again; version 2 rolled back.")).to_be_visible()
    expect(page.locator("tr", has_text="Pages through the deals.").locator("[data-state]")).to_have_text("Rolled back")

    # The private URL the company had for version 2 now shows version 1, and says why.
    page.goto(_private_url(live_server, v2))
    expect(page).to_have_url(_private_url(live_server, v1))
    expect(page.get_by_text("Version 2 was rolled back: this is version 1, the one in use.")).to_be_visible()
    card = page.get_by_test_id("connector-card")
    expect(card).to_contain_text("version 1")
    history = page.get_by_test_id("version-history")
    expect(history.locator("[data-version='2']")).to_contain_text("Rolled back")
    expect(history.locator("[data-version='1']")).to_contain_text("In use")
    screenshot_of(card, "after-approval-rolled-back-private-page")
    # The history of both versions and one email (text and HTML) say so.
    assert [e.transition for e in Submission.objects.get(pk=v2.pk).events.all()][-1] == "roll_back"
    assert [e.transition for e in Submission.objects.get(pk=v1.pk).events.all()][-1] == "rolled_back_to"
    (sent,) = [m for m in mail.outbox if "rolled back" in m.subject]
    assert "Version 2 times out on our account." in sent.body and "Version 2 times out" in sent.alternatives[0][0]


def test_item2_an_engineer_rolls_back_a_public_connector_in_the_admin(
        page, browser, live_server, alice, bob, erin, import_connector, no_machine):
    connector = import_connector("sales-crm")
    v1 = approve(services.connector_submit(connector=connector, user=alice, visibility="public"))
    v2 = approve(services.connector_submit(connector=connector, user=alice, visibility="public",
                                           release_notes="New report: Pipeline."))
    _admin_sign_in(page, live_server)
    page.goto(f"{live_server.url}{change_url(v1)}")
    form = page.locator("#roll-back")
    expect(form).to_contain_text("version 2 is rolled back")
    form.get_by_label("Why it is rolled back").fill("Version 2 drops every other row.")
    screenshot_of(form, "after-approval-admin-roll-back")
    form.get_by_role("button", name="Roll back to version 1").click()
    expect(page.locator(".messagelist")).to_contain_text("Rolled back to Example Sales CRM v1")

    # Any company's user: the old page of version 2 leads to version 1 in the Data Center.
    visitor = browser.new_page()
    sign_in(visitor, live_server, "bob")
    visitor.goto(live_server.url + reverse("submissions:public_connector", args=[v2.pk]))
    expect(visitor).to_have_url(live_server.url + reverse("submissions:public_connector", args=[v1.pk]))
    expect(visitor.get_by_test_id("connector-card")).to_contain_text("version 1")
    expect(visitor.get_by_test_id("version-history")).to_contain_text("New report: Pipeline.")
    visitor.close()


def test_item4_release_notes_from_the_modal_reach_the_status_window_and_the_email(
        page, live_server, alice, import_connector, no_machine):
    connector = import_connector("sales-crm")
    approve(services.connector_submit(connector=connector, user=alice, visibility="public", release_notes="First cut."))
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/develop/{connector.pk}/")
    page.get_by_role("link", name="Submit", exact=True).click()
    modal = page.locator("#submission-modal")
    notes = modal.get_by_label("What changed in this version")
    expect(notes).to_have_value("")  # per version: never the previous version's notes
    expect(modal.get_by_text("What is new or fixed since version 1")).to_be_visible()
    notes.fill("Pages through the deals report.\nAdds the Pipeline report.")
    screenshot_of(modal.locator(".modal-content"), "after-approval-release-notes-modal")
    mail.outbox.clear()
    modal.get_by_role("button", name="Continue Submission").click()
    expect(page.get_by_text("Congratulations!")).to_be_visible()
    second = connector.submissions.get(number=2)
    assert second.release_notes == "Pages through the deals report.\nAdds the Pipeline report."

    page.goto(live_server.url + reverse("review:status", args=[second.pk]))
    box = page.get_by_test_id("release-notes")
    expect(box.get_by_role("heading", name="What changed in version 2")).to_be_visible()
    expect(box).to_contain_text("Adds the Pipeline report.")
    screenshot_of(box, "after-approval-release-notes-status")
    (sent,) = [m for m in mail.outbox if "submitted for review" in m.subject]
    assert "What changed in this version:\nPages through the deals report." in sent.body
    assert "Adds the Pipeline report." in sent.alternatives[0][0]
