"""Issue 20, item 10: at phone width (390 x 844) no developer-facing page scrolls sideways.

Wide things (tables, code, long URLs) scroll inside their own box; the page itself stays
390 px. Each page is measured with document.documentElement.scrollWidth and photographed
(test-results/screenshots/phone-*.png; the issue note's copies are in docs/screenshots/).
"""

import pytest
from playwright.sync_api import expect

from connectors import services
from review import services as review_services
from review.conversation import message_post
from tests.browser.pages import sign_in
from tests.review.admin_support import in_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("empty_cache")]

PHONE = {"width": 390, "height": 844}

# What sticks out, to name it when a page is too wide: the outermost elements whose right edge
# passes the viewport (their children stick out with them), outside any box that scrolls.
WIDEST = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    const clipped = (a) => { for (; a && a !== document.body; a = a.parentElement) { if (getComputedStyle(a).overflowX !== 'visible') return true; } return false; };
    if (box.right > width + 0.5 && !clipped(el.parentElement)
        && !(el.parentElement && el.parentElement.getBoundingClientRect().right > width + 0.5)) {
      out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} right=${Math.round(box.right)}`);
    }
  }
  return out.slice(0, 8);
}"""


@pytest.fixture
def no_machine(monkeypatch):
    monkeypatch.setattr(review_services, "queue_review", lambda submission_id: None)


def measure(page, name, too_wide, full_page=True):
    """Photograph the page and note it in too_wide if it scrolls sideways (every page is
    measured before the test fails, so one run names them all)."""
    from tests.browser.conftest import SCREENSHOTS

    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"phone-{name}.png"), full_page=full_page)
    if width > PHONE["width"]:
        too_wide[name] = (width, page.evaluate(WIDEST))


def test_every_developer_page_fits_a_phone(page, live_server, alice, erin, import_connector, no_machine, settings):
    from api.models import ApiToken
    from runs.models import LiveRun
    from tests.conftest import approve

    # What the pages show: a connector in review with a machine finding and an engineer's
    # note, one sent back by an engineer with a question open, a public approved one, a beta.
    reviewed = in_review(import_connector("sales-crm"), alice)
    review_services.phase_sign_off(submission=reviewed, phase="security", engineer=erin, passed=True,
                                   note="Looks right.")
    sent_back_by_erin = in_review(import_connector("sales-crm"), alice)
    message_post(submission=sent_back_by_erin, user=erin,
                 body="Which API version do you call? https://crm.example-sales.com/api/v2/opportunities?page_size=500")
    services.submission_request_changes(submission=sent_back_by_erin, user=erin,
                                        note="Page with the cursor, not offsets: see /api/v2/opportunities?cursor=abc")
    public = approve(services.connector_submit(connector=import_connector("sales-crm"), user=alice,
                                               visibility="public"))
    beta = services.submission_self_publish(
        submission=services.connector_submit(connector=import_connector("sales-crm"), user=alice,
                                             visibility="company"), user=alice)
    finished = LiveRun.objects.create(  # a finished run of the beta, as runs.tasks leaves it
        user=alice, submission=beta, kind="beta", report="Opportunities", status="done", outcome="Done: 3 rows.",
        rows=3, requests=2, duration_seconds=1.2, columns=["id", "account", "stage", "amount", "close_date"],
        first_rows=[["opp-0001", "Globex Corporation International Holdings", "Negotiation", "125000.00", "2026-12-24"]] * 3,
        log_lines=["GET https://crm.example-sales.com/api/v2/opportunities?page=1&page_size=500&include=account,owner"])
    ApiToken.objects.create(user=alice, name="GitHub Actions of the sales team", prefix="cpp_abcd1234", token_hash="0" * 64)
    failing = import_connector("sales-crm-xhr")
    blank = services.connector_create(company=failing.company, user=alice, name="From scratch")
    sent_back = services.connector_submit(connector=import_connector("sales-crm-xhr"), user=alice, visibility="company")
    review_services.review_submission_now(sent_back.pk)  # the machine finds XMLHttpRequest and requests changes

    too_wide = {}
    sign_in(page, live_server, "alice")  # at desktop width, where the user menu is not folded away
    page.set_viewport_size(PHONE)
    pages = {
        "develop": "/develop/",
        "status": f"/submissions/{reviewed.pk}/",
        "status-findings": f"/submissions/{sent_back.pk}/",
        "status-what-to-fix": f"/submissions/{sent_back_by_erin.pk}/",
        "editor-what-to-fix": f"/develop/{sent_back_by_erin.connector_id}/",
        "code": f"/submissions/{reviewed.pk}/code/",
        "code-findings": f"/submissions/{sent_back.pk}/code/",
        "versions": f"/submissions/of-connector/{reviewed.connector_id}/",
        "data-center": "/data-center/",
        "public-connector": f"/data-center/{public.pk}/",
        "beta": f"/beta/{beta.beta_token}/",
        "run": f"/run/beta/{beta.beta_token}/",
        "runs": "/runs/",
        "run-done": f"/runs/{finished.pk}/",
        "settings": "/accounts/settings/",
        "samples-help": "/develop/help/samples/",
        "submit-missing": f"/develop/{blank.pk}/submit/",
    }
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        measure(page, name, too_wide)

    page.goto(f"{live_server.url}/develop/")
    page.get_by_role("button", name="New connector").click()
    page.get_by_role("button", name="Upload bundle").click()
    expect(page.locator("#upload-bundle")).to_be_visible()
    measure(page, "develop-upload", too_wide)

    page.goto(f"{live_server.url}/develop/{failing.pk}/")
    measure(page, "editor", too_wide)
    page.get_by_role("button", name="Check now").click()
    expect(page.locator(".check-results[data-verdict='fail']")).to_be_visible(timeout=30_000)
    measure(page, "editor-check-now", too_wide)
    page.get_by_role("link", name="Submit", exact=True).click()
    expect(page.locator("#submission-modal")).to_be_visible()
    measure(page, "submit-dialog", too_wide, full_page=False)  # the dialog covers the viewport
    assert not too_wide, "wider than 390 px:\n" + "\n".join(
        f"{name}: {width} px, sticking out: {', '.join(what)}" for name, (width, what) in too_wide.items())
