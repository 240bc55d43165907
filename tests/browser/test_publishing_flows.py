"""The publishing flows in a real browser (Debian's chromium through Playwright).

Company path: sign in, upload the sales-crm sample, submit through the modal as
company-only, self-publish and open the beta URL, open the status window and the code
viewer, withdraw. Public path: the missing-fields list, then a public submission; once
approved, the Data Center lists it with its icon and opens its connector card.
Screenshots of each main page go to test-results/screenshots/.
"""

import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from connectors.models import Company, Membership, ReviewState, Submission
from tests.browser.pages import open_panel

BUNDLES = Path(__file__).resolve().parents[1] / "fixtures" / "bundles"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def member(django_user_model):
    company = Company.objects.create(name="Acme", slug="acme")
    user = django_user_model.objects.create_user("alice", "alice@example.com", "browser-pw")
    Membership.objects.create(user=user, company=company)
    return user


@pytest.fixture
def sales_crm_zip(tmp_path):
    """The sales-crm sample as the zip a developer would upload."""
    folder = BUNDLES / "sales-crm"
    target = tmp_path / "sales-crm.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return target


@pytest.fixture
def signed_in(page, live_server, member):
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("browser-pw")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Develop")).to_be_visible()
    return page


def _upload(page, live_server, bundle_zip):
    page.goto(f"{live_server.url}/develop/")
    open_panel(page, "upload-bundle", "Upload bundle")
    page.locator("#upload-bundle input[name=bundle]").set_input_files(str(bundle_zip))
    page.locator("#upload-bundle").get_by_role("button", name="Upload").click()
    expect(page.get_by_text("was imported as Example Sales CRM")).to_be_visible()


def _submit_through_modal(page, visibility_label):
    page.get_by_role("link", name="Submit", exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Additional Instructions").fill("Sign in with the sample account from connector.json.")
    dialog.get_by_label(visibility_label).check()
    return dialog


def _expect_images_loaded(images, count):
    """The icons are served by the portal; a broken <img> has no natural width."""
    expect(images).to_have_count(count)
    for i in range(count):
        expect(images.nth(i)).to_have_js_property("complete", True)
        assert images.nth(i).evaluate("img => img.naturalWidth") > 0, images.nth(i).get_attribute("src")


def test_it_submits_self_publishes_shows_status_and_code_and_withdraws(signed_in, live_server, sales_crm_zip, screenshot):
    page = signed_in
    _upload(page, live_server, sales_crm_zip)
    screenshot("editor")

    dialog = _submit_through_modal(page, "Shared with your company")
    screenshot("submit-modal")
    dialog.get_by_role("button", name="Continue Submission").click()
    expect(page.get_by_role("heading", name=re.compile("was submitted"))).to_be_visible()
    screenshot("submitted")

    page.get_by_role("button", name="Self Publish").click()
    beta_dialog = page.get_by_role("dialog", name="Beta published")
    expect(beta_dialog).to_be_visible()
    beta_url = beta_dialog.get_by_label("Private URL").input_value()
    assert "/beta/" in beta_url
    expect(beta_dialog.get_by_text(re.compile(r"stops working on \d{4}-\d{2}-\d{2}"))).to_be_visible()
    beta_dialog.get_by_role("button", name="Copy").click()
    screenshot("self-publish-dialog")
    beta_dialog.get_by_role("button", name="Done").click()
    expect(beta_dialog).to_be_hidden()

    page.goto(beta_url)
    expect(page.get_by_role("heading", name="Example Sales CRM")).to_be_visible()
    expect(page.get_by_text("Beta", exact=True)).to_be_visible()
    expect(page.get_by_test_id("auth-method")).to_have_text("Username and password")
    _expect_images_loaded(page.get_by_test_id("connector-card").locator("img"), 2)
    screenshot("beta")

    page.get_by_role("link", name="View Status").click()
    expect(page.get_by_role("heading", name="Review phases")).to_be_visible()
    expect(page.get_by_text("Automated tests")).to_be_visible()
    expect(page.get_by_test_id("beta-state")).to_contain_text("Beta active")
    expect(page.get_by_test_id("history")).to_contain_text("Beta published")
    screenshot("status")

    page.get_by_role("link", name="View Code").click()
    # Domo's View Code shows the processdata script first.
    expect(page.locator("#code-processdata-js-L1")).to_be_visible()
    expect(page.locator(".code-view")).to_contain_text("httprequest")
    screenshot("code")
    page.get_by_role("link", name=re.compile("authentication.js")).click()
    expect(page.locator("#code-authentication-js-L1")).to_be_visible()

    page.get_by_role("link", name="Overview").click()
    page.get_by_role("button", name="Withdraw").click()
    confirm = page.get_by_role("dialog", name=re.compile("Withdraw version"))
    expect(confirm).to_be_visible()
    screenshot("withdraw-confirm")
    confirm.get_by_role("button", name="Withdraw").click()
    expect(page.get_by_role("alert").filter(has_text="was withdrawn")).to_be_visible()
    expect(page.get_by_test_id("review-state")).to_have_text("Withdrawn")
    expect(page.get_by_role("button", name="Withdraw")).to_have_count(0)
    screenshot("withdrawn")

    submission = Submission.objects.get()
    assert submission.state == ReviewState.WITHDRAWN and submission.beta_state == "closed"
    page.goto(beta_url)
    expect(page.get_by_role("heading", name=re.compile("no longer available"))).to_be_visible()
    screenshot("beta-closed")


def test_it_lists_missing_fields_then_submits_publicly(signed_in, live_server, sales_crm_zip, screenshot):
    page = signed_in
    page.goto(f"{live_server.url}/develop/")
    open_panel(page, "new-connector", "New connector")
    page.locator("#new-connector").get_by_label(re.compile("Name")).fill("Half-done connector")
    page.locator("#new-connector").get_by_role("button", name="Create").click()
    page.get_by_role("link", name="Submit", exact=True).click()
    missing = page.locator("#missing")
    expect(missing).to_be_visible()
    expect(missing).to_contain_text("cannot be submitted yet")
    assert page.locator(".missing-parts li").count() >= 3
    screenshot("missing-fields")

    _upload(page, live_server, sales_crm_zip)
    dialog = _submit_through_modal(page, "Public to all companies")
    dialog.get_by_role("button", name="Continue Submission").click()
    expect(page.get_by_text("Public to all companies")).to_be_visible()
    expect(page.get_by_role("button", name="Self Publish")).to_have_count(0)
    screenshot("submitted-public")

    page.get_by_role("link", name="View Status").click()
    expect(page.get_by_test_id("self-publish-blockers")).to_contain_text("this one is public")
    screenshot("status-public")

    page.get_by_role("link", name="Data Center").click()
    expect(page.get_by_role("heading", name="Data Center")).to_be_visible()
    expect(page.get_by_text("Example Sales CRM")).to_have_count(0)  # not approved yet
    screenshot("data-center")


def test_it_opens_an_approved_public_connector_from_the_data_center(signed_in, live_server, member, screenshot):
    from connectors import services
    from review.models import Phase, PhaseStatus, ReviewPhase

    company = member.memberships.get().company
    connector = services.connector_import_bundle(company=company, user=member, source=BUNDLES / "sales-crm")
    submission = services.connector_submit(connector=connector, user=member, visibility="public")
    for phase in Phase.values:
        ReviewPhase.objects.update_or_create(submission=submission, phase=phase, defaults={"status": PhaseStatus.PASSED})
    submission = Submission.objects.get(pk=submission.pk)
    if submission.state == ReviewState.SUBMITTED:
        submission = services.submission_start_review(submission=submission)
    services.submission_approve(submission=submission, user=None)

    page = signed_in
    page.get_by_role("link", name="Data Center").click()
    entry = page.get_by_test_id("data-center-entry")
    expect(entry).to_have_count(1)
    _expect_images_loaded(entry.locator("img"), 1)
    screenshot("data-center-listed")
    entry.get_by_role("link", name="Example Sales CRM").click()
    expect(page.get_by_role("heading", name="Example Sales CRM")).to_be_visible()
    expect(page.get_by_test_id("auth-method")).to_have_text("Username and password")
    _expect_images_loaded(page.get_by_test_id("connector-card").locator("img"), 2)
    screenshot("public-connector")
