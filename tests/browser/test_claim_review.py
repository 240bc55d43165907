"""Claiming a review in a real browser, with JavaScript switched off (issue 21, item 6):
the confirmation before acting on a colleague's review is a page, not a script's dialog.

1. The queue shows who has each submission; erin filters "Assigned to someone else".
2. erin approves fred's review: a confirmation page; "Yes, act on it anyway" approves it.
3. erin's page of another review goes out of date (fred signs off meanwhile): her sign-off
   is refused with a message; after a reload she assigns the review to herself.
Screenshots: test-results/screenshots/claim-queue.png, claim-confirm.png, claim-stale.png.
"""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from connectors.models import Company, Membership, ReviewState, Submission
from portal.permissions import REVIEW_ENGINEERS_GROUP
from review import claims
from review import services as review_services
from review.models import Phase, PhaseStatus
from tests.browser.conftest import SCREENSHOTS
from tests.review.admin_support import in_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(django_user_model, monkeypatch):
    # Submissions are set up by hand (admin_support.in_review): no machine run on commit.
    monkeypatch.setattr(review_services, "queue_review", lambda submission_id: None)
    company = Company.objects.create(name="Acme", slug="acme")
    alice = django_user_model.objects.create_user("alice", "alice@example.com", "browser-pw")
    Membership.objects.create(user=alice, company=company)
    group = Group.objects.get_or_create(name=REVIEW_ENGINEERS_GROUP)[0]
    erin = django_user_model.objects.create_user("erin", "erin@example.com", "browser-pw", is_staff=True)
    fred = django_user_model.objects.create_user(
        "fred", "fred@example.com", "browser-pw", is_staff=True, first_name="Fred", last_name="Reviewer"
    )
    erin.groups.add(group)
    fred.groups.add(group)
    return company, alice, erin, fred


def _review(company, alice, name, **kwargs):
    from connectors import services
    from tests.conftest import BUNDLES

    connector = services.connector_import_bundle(company=company, user=alice, source=BUNDLES / "sales-crm")
    connector.name = name
    connector.save()
    return in_review(connector, alice, **kwargs)


@pytest.fixture
def no_script_page(browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def _shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def test_an_engineer_confirms_before_acting_on_a_colleagues_review_and_a_stale_page_is_refused(
    no_script_page, live_server, people
):
    company, alice, erin, fred = people
    his = _review(company, alice, "Billing feed", human=PhaseStatus.PASSED)
    free = _review(company, alice, "Sales CRM")
    claims.submission_assign(submission=his, engineer=fred)
    page = no_script_page

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", "browser-pw")
    page.locator("input[type=submit]").click()

    # 1. The queue: who has what, and the filter.
    page.goto(f"{live_server.url}/admin/connectors/submission/")
    expect(page.locator("tr", has_text="Billing feed v1").locator("td.field-assignee")).to_have_text("Fred Reviewer")
    expect(page.locator("tr", has_text="Sales CRM v1").locator("td.field-assignee")).to_have_text("-")
    page.get_by_role("link", name="Assigned to someone else").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    _shot(page, "claim-queue")

    # 2. Approving fred's review asks first, on a page of its own.
    page.get_by_role("link", name="Billing feed v1").click()
    expect(page.locator("#assignee")).to_contain_text("Fred Reviewer has this review")
    page.get_by_label("Approval note").fill("Checked with fred on chat.")
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_text("Billing feed v1 is assigned to Fred Reviewer. Act on it anyway?")).to_be_visible()
    assert Submission.objects.get(pk=his.pk).state == ReviewState.IN_REVIEW
    _shot(page, "claim-confirm")
    page.get_by_role("button", name="Yes, approve it anyway").click()
    expect(page.get_by_text("Approved Billing feed v1.")).to_be_visible()
    assert Submission.objects.get(pk=his.pk).state == ReviewState.APPROVED
    assert his.events.get(transition="approve").reason == "Checked with fred on chat."

    # 3. A page that went out of date: fred signs off the security test while erin reads.
    page.goto(f"{live_server.url}/admin/connectors/submission/{free.pk}/change/")
    review_services.phase_sign_off(submission=free, phase=Phase.SECURITY, engineer=fred, passed=True)
    page.get_by_label("Note on the security test").fill("Hosts are fine.")
    page.get_by_role("button", name="Sign off security test").click()
    expect(page.locator(".messagelist")).to_contain_text("changed since you opened its page")
    expect(page.locator(".messagelist")).to_contain_text("What you wrote, not sent: “Hosts are fine.”")
    assert Submission.objects.get(pk=free.pk).phases.get(phase=Phase.SECURITY).engineer == fred
    _shot(page, "claim-stale")
    page.get_by_role("button", name="Assign to me").click()
    expect(page.locator(".messagelist")).to_contain_text("Sales CRM v1 is assigned to erin.")
    expect(page.locator("#assignee .assignee-name")).to_have_text("you")
    assert Submission.objects.get(pk=free.pk).assigned_to == erin
