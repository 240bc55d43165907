"""Issue 20: daily use, third round. One test per item, each with its screenshot
(test-results/screenshots/; the ones the issue note cites are copied to docs/screenshots/)."""

import pytest
from playwright.sync_api import expect

from connectors import services
from review import services as review_services
from review.conversation import message_post
from tests.browser.pages import collect_console_errors, screenshot_of, sign_in
from tests.review.admin_support import in_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("empty_cache")]


@pytest.fixture
def no_machine(monkeypatch):
    monkeypatch.setattr(review_services, "queue_review", lambda submission_id: None)  # the test sets the phases


def test_item1_the_engineers_note_and_question_reach_the_developer(page, live_server, alice, erin, import_connector,
                                                                   no_machine):
    submission = in_review(import_connector("sales-crm"), alice)
    message_post(submission=submission, user=erin, body="Which API version do you call?")
    services.submission_request_changes(submission=submission, user=erin, note="Page with the cursor, not offsets.")
    sign_in(page, live_server, "alice")
    errors = collect_console_errors(page)

    page.goto(f"{live_server.url}/develop/")
    row = page.locator(f"tr[data-connector='{submission.connector_id}']")
    expect(row.locator("[data-badge='request-note']")).to_be_visible()
    expect(row.locator("[data-badge='question']")).to_be_visible()
    screenshot_of(row, "daily-develop-badges")

    row.get_by_role("link", name="View Status").click()
    what = page.locator("#what-to-fix")
    expect(what).to_contain_text("What to fix")
    expect(what).to_contain_text("Page with the cursor, not offsets.")
    expect(what).to_contain_text("Which API version do you call?")
    assert what.bounding_box()["y"] < page.get_by_role("heading", name="Review phases").bounding_box()["y"]
    screenshot_of(what, "daily-status-what-to-fix")

    what.get_by_role("link", name="Open the editor").click()
    feedback = page.locator("#review-feedback")
    expect(feedback.get_by_test_id("request-note")).to_contain_text("Page with the cursor, not offsets.")
    expect(feedback.get_by_test_id("open-questions")).to_contain_text("Which API version do you call?")
    assert feedback.bounding_box()["y"] < page.locator("#id_name").bounding_box()["y"]
    screenshot_of(feedback, "daily-editor-what-to-fix")
    assert errors == []


def test_item2_a_script_saved_in_the_browser_keeps_lf_and_the_diff_sees_no_change(page, live_server, alice, import_connector,
                                                                                   no_machine):
    from connectors.bundle.reader import read_bundle
    from connectors.models import Connector
    from review.pages.version_diff import version_diff
    from tests.conftest import approve

    connector = import_connector("sales-crm")
    first = approve(services.connector_submit(connector=connector, user=alice, visibility="company"))
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/develop/{connector.pk}/")
    description = page.locator("#id_description")
    description.fill(description.input_value() + " Daily.")  # a change elsewhere; the scripts go as they are
    page.locator("form").get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(f"{connector.name} was saved.")).to_be_visible()
    saved = Connector.objects.get(pk=connector.pk)
    assert "\r" not in saved.authentication_script and "\r" not in saved.processdata_script
    assert saved.authentication_script == connector.authentication_script

    second = services.connector_submit(connector=saved, user=alice, visibility="company")
    diff = version_diff(read_bundle(bytes(first.bundle)), read_bundle(bytes(second.bundle)), first.number, second.number)
    assert diff.changed_scripts == []
    screenshot_of(page.locator("[data-file='authentication.js']"), "daily-editor-lf-saved")


def _png(width, height):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def test_item3_a_wrong_icon_keeps_the_valid_ones_and_lands_on_the_error(page, live_server, alice, import_connector):
    from connectors.bundle.types import ICONS

    connector = import_connector("sales-crm")
    sign_in(page, live_server, "alice")
    errors = collect_console_errors(page)
    page.goto(f"{live_server.url}/develop/{connector.pk}/")
    for key, (_path, width, height) in ICONS.items():
        size = (512, 512) if key == "logo_without_background" else (width, height)
        page.locator(f"input[name='icon_{key}']").set_input_files(
            {"name": f"{key}.png", "mimeType": "image/png", "buffer": _png(*size)})
    page.locator("#connector-form").get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Nothing was saved")).to_be_visible()
    wrong = page.locator("input[name='icon_logo_without_background']")
    expect(wrong).to_be_focused()
    expect(wrong).to_be_in_viewport()
    expect(page.locator("[data-kept-icon]")).to_have_count(3)
    screenshot_of(page.locator("#section-icons"), "daily-editor-icons-kept")

    wrong.set_input_files({"name": "banner.png", "mimeType": "image/png", "buffer": _png(1024, 512)})
    page.locator("#connector-form").get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(f"{connector.name} was saved.")).to_be_visible()
    stored = {f.path: bytes(f.content) for f in connector.files.all()}
    for key, (path, width, height) in ICONS.items():
        assert stored[path] == _png(width, height), path
    assert errors == []


def test_item5_resubmit_starts_from_the_previous_versions_choices(page, live_server, alice, import_connector, no_machine):
    connector = import_connector("sales-crm")
    first = services.connector_submit(connector=connector, user=alice, visibility="public",
                                      instructions="Test account: demo / demo-pass")
    services.submission_withdraw(submission=first, user=alice)
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/develop/{connector.pk}/")
    page.get_by_role("link", name="Submit", exact=True).click()
    modal = page.locator("#submission-modal")
    expect(modal.get_by_test_id("prefilled")).to_be_visible()
    expect(modal.get_by_label("Additional Instructions")).to_have_value("Test account: demo / demo-pass")
    expect(modal.get_by_label("Public to all companies")).to_be_checked()
    screenshot_of(modal.locator(".modal-content"), "daily-resubmit-prefilled")
    modal.get_by_role("button", name="Continue Submission").click()
    expect(page.get_by_text("Congratulations!")).to_be_visible()
    second = connector.submissions.get(number=2)
    assert (second.visibility, second.instructions) == ("public", "Test account: demo / demo-pass")


def test_item7_an_ended_review_says_how_each_phase_ended(page, live_server, alice, import_connector, no_machine):
    from review.models import Phase, PhaseStatus, ReviewPhase

    submission = in_review(import_connector("sales-crm"), alice)
    ReviewPhase.objects.filter(submission=submission, phase=Phase.PERFORMANCE).update(status=PhaseStatus.PENDING)
    services.submission_withdraw(submission=submission, user=alice)
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/submissions/{submission.pk}/")
    phases = page.locator(".list-group").first
    expect(phases.locator("[data-phase='security'] .badge")).to_have_text("Not signed off: the review ended")
    expect(phases.locator("[data-phase='code_review'] .badge")).to_have_text("Not signed off: the review ended")
    expect(phases.locator("[data-phase='performance'] .badge")).to_have_text("Not reached")
    expect(phases).not_to_contain_text("Waiting for an engineer")
    expect(page.get_by_test_id("review-state")).to_have_text("Withdrawn")
    expect(page.locator("#status-live dt", has_text="Due")).to_have_count(0)
    screenshot_of(page.locator("#status-live"), "daily-status-ended-phases")


def test_item8_submit_after_a_failed_check_now_warns_first(page, live_server, alice, import_connector, no_machine):
    connector = import_connector("sales-crm-xhr")
    sign_in(page, live_server, "alice")
    errors = collect_console_errors(page)
    page.goto(f"{live_server.url}/develop/{connector.pk}/")
    warning = page.locator("#submission-modal").get_by_test_id("check-failed-warning")
    expect(warning).to_be_hidden()
    page.get_by_role("button", name="Check now").click()
    expect(page.locator(".check-results[data-verdict='fail']")).to_be_visible(timeout=30_000)
    page.get_by_role("link", name="Submit", exact=True).click()
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("it will request changes")
    screenshot_of(page.locator("#submission-modal .modal-content"), "daily-submit-after-failed-check")
    # After a reload the server says the same, with the count.
    page.goto(f"{live_server.url}/develop/{connector.pk}/")
    page.get_by_role("link", name="Submit", exact=True).click()
    expect(warning).to_contain_text("Your last Check now failed with")
    assert errors == []


def test_item4_the_editor_names_the_account_values_and_offers_a_samples_template(page, live_server, alice):
    import json

    from connectors.models import Connector

    sign_in(page, live_server, "alice")
    errors = collect_console_errors(page)
    page.goto(f"{live_server.url}/develop/")
    page.get_by_label("Name").fill("From scratch")
    page.get_by_role("button", name="Create").click()
    page.locator("select[name='auth_method']").select_option("api_key")
    names = page.locator("[data-account-names]:visible")
    expect(names).to_have_count(1)
    expect(names).to_contain_text("metadata.account.apikey")
    page.locator("#section-samples").get_by_role("link", name="the format and a template").click()
    expect(page.locator("#samples-format")).to_have_attribute("open", "")
    page.get_by_role("button", name="Use this template").click()
    samples = json.loads(page.locator("textarea[name='samples']").input_value())
    assert list(samples["account"]) == ["apikey"]
    screenshot_of(page.locator("#section-samples"), "daily-editor-samples-template")
    page.locator("#connector-form").get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("From scratch was saved.")).to_be_visible()
    saved = Connector.objects.get(name="From scratch")
    assert saved.auth_method == "api_key" and saved.samples["account"] == {"apikey": "demo-key-0123456789"}
    assert errors == []


def _admin_sign_in(page, live_server, username="erin"):
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.locator("input[type=submit]").click()
    expect(page.locator("#site-name")).to_be_visible()


def test_item6_the_engineer_compares_with_the_version_sent_back_first(page, live_server, alice, erin, import_connector,
                                                                      no_machine):
    from tests.conftest import approve
    from tests.review.admin_support import change_url

    connector = import_connector("sales-crm")
    approve(services.connector_submit(connector=connector, user=alice, visibility="company"))
    connector.refresh_from_db()
    services.connector_update(connector=connector, user=alice, hosts=connector.hosts + ["collector.example.net"])
    second = in_review(connector, alice)
    services.submission_request_changes(submission=second, user=erin, note="Drop the collector.")
    connector.refresh_from_db()
    services.connector_update(connector=connector, user=alice,
                              processdata_script="// paged by cursor\n" + connector.processdata_script)
    third = in_review(connector, alice)

    _admin_sign_in(page, live_server)
    page.goto(f"{live_server.url}{change_url(third)}#changes")
    changes = page.get_by_test_id("changes")
    expect(changes.get_by_role("heading", name="Changes since version 2 (changes requested)")).to_be_visible()
    expect(changes.get_by_test_id("hosts-changed")).to_have_count(0)
    screenshot_of(changes.locator("h2, [data-testid='compare-with']").first.locator(".."), "daily-admin-diff-against-sent-back")
    changes.get_by_role("link", name="version 1 (approved)").click()
    expect(changes.get_by_role("heading", name="Changes since version 1 (approved)")).to_be_visible()
    expect(changes.get_by_test_id("hosts-changed")).to_be_visible()


def test_item11_getting_around(page, live_server, alice, erin, import_connector, no_machine):
    from tests.review.admin_support import change_url

    submission = in_review(import_connector("sales-crm"), alice)
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/submissions/{submission.pk}/")
    page.get_by_role("link", name="All versions").click()
    tabs = page.get_by_test_id("version-tabs")
    expect(tabs.get_by_role("link", name="Overview")).to_be_visible()
    tabs.get_by_role("link", name="Overview").click()
    page.get_by_role("button", name="Withdraw").click()
    page.locator("#withdraw-dialog").get_by_role("button", name="Withdraw").click()
    expect(page.get_by_text("was withdrawn")).to_be_visible()
    screenshot_of(page.locator("#status-live .card").first, "daily-withdrawn-open-editor")
    page.get_by_test_id("open-editor").click()
    expect(page.locator("#connector-form")).to_be_visible()

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", "pw")
    page.locator("input[type=submit]").click()
    page.goto(f"{live_server.url}/admin/connectors/submission/")
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    again = in_review(submission.connector, alice)
    page.goto(f"{live_server.url}{change_url(again)}")
    page.locator("#actions summary").get_by_role("link", name="Phases").click()
    bar = page.locator(".review-actions").bounding_box()
    heading = page.locator("#phases").bounding_box()
    assert heading["y"] >= bar["y"] + bar["height"] - 1, (bar, heading)


def test_item12_sentences_read_as_sentences(page, live_server, alice, import_connector):
    connector = import_connector("sales-crm")
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/develop/{connector.pk}/")
    page.locator("#id_description").fill("Edited, not saved.")
    page.get_by_role("button", name="Check now").click()
    unsaved = page.get_by_role("dialog", name="You have unsaved changes")
    expect(unsaved).to_contain_text("Check now uses the saved draft")
    screenshot_of(unsaved.locator(".modal-content"), "daily-unsaved-words")
