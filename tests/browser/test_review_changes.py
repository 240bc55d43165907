"""Reviewing a new version in a real browser: the diff since the approved version, and a waiver.

1. erin signs off and approves version 1 in the admin; alice changes the connector and
   submits version 2; erin reads the diff (hosts called out, the script's changed lines).
2. erin waives a hard-coded-credential error from the admin page; alice resubmits with
   the flagged line moved; the new version passes its automated tests and the status
   window shows the finding as waived.
Screenshots: test-results/screenshots/admin-diff*.png, admin-waiver.png, status-waived.png.
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from connectors import services
from connectors.models import Company, Membership, ReviewState, Submission
from portal.permissions import REVIEW_ENGINEERS_GROUP
from review import services as review_services
from review.models import Phase, PhaseStatus

BUNDLES = Path(__file__).resolve().parents[1] / "fixtures" / "bundles"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(django_user_model):
    company = Company.objects.create(name="Acme", slug="acme")
    alice = django_user_model.objects.create_user("alice", "alice@example.com", "browser-pw")
    Membership.objects.create(user=alice, company=company)
    erin = django_user_model.objects.create_user("erin", "erin@example.com", "browser-pw", is_staff=True)
    erin.groups.add(Group.objects.get_or_create(name=REVIEW_ENGINEERS_GROUP)[0])
    return company, alice, erin


def _sign_in(page, live_server, username, admin=False):
    page.set_default_timeout(20_000)
    if admin:
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "browser-pw")
        page.locator("input[type=submit]").click()
        expect(page.locator("#site-name")).to_be_visible()
    else:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill("browser-pw")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Develop")).to_be_visible()


def _submit(connector, alice) -> Submission:
    submission = services.connector_submit(connector=connector, user=alice, visibility="company")
    submission = Submission.objects.get(pk=submission.pk)
    if not submission.phases.filter(phase=Phase.AUTOMATED).exclude(status=PhaseStatus.PENDING).exists():
        review_services.review_submission_now(submission.pk)  # when no worker ran it on commit
    return Submission.objects.get(pk=submission.pk)


def _admin_page(page, live_server, submission):
    page.goto(f"{live_server.url}/admin/connectors/submission/{submission.pk}/change/")


def test_it_approves_a_version_then_reads_the_diff_of_the_next(page, live_server, people, screenshot):
    company, alice, erin = people
    connector = services.connector_import_bundle(company=company, user=alice, source=BUNDLES / "sales-crm")
    first = _submit(connector, alice)
    assert first.state == ReviewState.IN_REVIEW

    _sign_in(page, live_server, "erin", admin=True)
    _admin_page(page, live_server, first)
    page.get_by_role("button", name="Sign off security test").click()
    expect(page.get_by_text("Security test passed")).to_be_visible()
    page.get_by_role("button", name="Sign off code review").click()
    expect(page.get_by_text("Code review passed")).to_be_visible()
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_text(f"Approved {first}")).to_be_visible()
    assert Submission.objects.get(pk=first.pk).state == ReviewState.APPROVED

    connector.refresh_from_db()
    services.connector_update(
        connector=connector, user=alice, hosts=connector.hosts + ["status.example-sales.com"],
        processdata_script=connector.processdata_script.replace(
            "var offset = 0;", "var offset = 0;\nvar pageSize = 500; // one page of the CSV export"),
    )
    second = _submit(connector, alice)

    _admin_page(page, live_server, second)
    changes = page.get_by_test_id("changes")
    expect(changes.get_by_role("heading", name="Changes since version 1 (approved)")).to_be_visible()
    expect(page.get_by_test_id("hosts-changed")).to_contain_text("added status.example-sales.com")
    diff = page.get_by_test_id("diff-processdata.js")
    expect(diff.locator("tr.diff-add")).to_contain_text("var pageSize = 500;")
    expect(diff.locator("tr.diff-fold").first).to_contain_text("unchanged line")
    changes.scroll_into_view_if_needed()
    screenshot("admin-diff")
    page.get_by_role("link", name="Side by side").click()
    expect(page.get_by_test_id("diff-processdata.js").locator("td.diff-add")).to_contain_text("var pageSize = 500;")
    screenshot("admin-diff-side-by-side")


def test_it_waives_a_finding_and_the_resubmission_passes(page, live_server, people, browser, screenshot):
    company, alice, erin = people
    connector = services.connector_import_bundle(company=company, user=alice,
                                                 source=BUNDLES / "sales-crm-hardcoded-password")
    first = _submit(connector, alice)
    assert first.state == ReviewState.CHANGES_REQUESTED

    _sign_in(page, live_server, "erin", admin=True)
    _admin_page(page, live_server, first)
    finding = page.locator("#phases li.finding", has_text="hardcoded-credential")
    finding.get_by_text("Waive…").click()
    finding.get_by_label("Why it does not apply").fill("The vendor's public sandbox account, documented as such")
    finding.get_by_role("button", name="Waive hardcoded-credential").click()
    expect(page.get_by_text("Waived hardcoded-credential in processdata.js until this code changes.")).to_be_visible()
    waivers = page.get_by_test_id("waivers")
    expect(waivers).to_contain_text("The vendor's public sandbox account")
    expect(page.locator("#history")).to_contain_text("Finding waived")  # people's words (issue 12), as the status window
    waivers.scroll_into_view_if_needed()
    screenshot("admin-waiver")

    connector.refresh_from_db()
    services.connector_update(connector=connector, user=alice,
                              processdata_script="// v2: comments only above the waived line\n" + connector.processdata_script)
    second = _submit(connector, alice)
    assert second.state == ReviewState.IN_REVIEW
    assert second.phases.get(phase=Phase.AUTOMATED).status == PhaseStatus.PASSED

    developer = browser.new_context().new_page()
    _sign_in(developer, live_server, "alice")
    developer.goto(f"{live_server.url}/submissions/{second.pk}/")
    waived = developer.get_by_test_id("waived")
    expect(waived).to_contain_text("Waived by erin until this code changes: The vendor's public sandbox account")
    waived.scroll_into_view_if_needed()
    developer.screenshot(path=str(_shot_path("status-waived")), full_page=True)


def _shot_path(name):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
