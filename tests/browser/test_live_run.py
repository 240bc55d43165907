"""Issue 22 in a browser: a company member runs the demo's beta for real and downloads its CSV;
another company's user gets 404; a run after the beta expired is refused.

The beta's declared host is sent to a local API serving the bundle's samples
(runs/demo_api.py, as `make run` does); tasks run inline (portal/test_settings.py).
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from connectors import services
from connectors.bundle.reader import read_bundle
from runs.demo_api import DemoApi
from tests.browser.pages import collect_console_errors, sign_in
from tests.conftest import BUNDLES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_beta(import_connector, alice, settings, live_runs_in_memory):
    bundle = read_bundle(BUNDLES / "sales-crm")
    api = DemoApi(bundle.manifest, bundle.files).start()
    settings.LIVE_RUN_HOST_MAP = f"crm.example-sales.com={api.address}"
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    yield services.submission_self_publish(submission=submission, user=alice)
    api.close()


def test_a_member_runs_the_beta_and_downloads_its_csv(page, live_server, demo_beta, screenshot):
    sign_in(page, live_server, "alice")
    errors = collect_console_errors(page)
    page.goto(f"{live_server.url}/beta/{demo_beta.beta_token}/")
    page.get_by_role("link", name="Run it").click()
    page.get_by_label("Username").fill("tester@example.com")
    page.get_by_label("Password").fill("sample-only")
    expect(page.get_by_label("Password")).to_have_attribute("type", "password")
    page.get_by_role("button", name="Run").click()
    expect(page.locator("#run-status")).to_have_text("Done", timeout=60_000)
    expect(page.locator("#run-rows-table th").first).to_have_text("id")
    screenshot("live-run-done")
    with page.expect_download() as download:
        page.locator("#run-csv").click()
    lines = open(download.value.path(), encoding="utf-8").read().splitlines()
    assert lines[0] == "id,account,stage,amount,close_date" and len(lines) > 1000
    page.goto(f"{live_server.url}/runs/")
    expect(page.get_by_role("cell", name="Opportunities")).to_be_visible()
    assert errors == []


def test_another_companys_user_gets_404(page, live_server, demo_beta, bob):
    sign_in(page, live_server, "bob")
    response = page.goto(f"{live_server.url}/run/beta/{demo_beta.beta_token}/")
    assert response.status == 404


def test_a_run_after_the_beta_expired_is_refused(page, live_server, demo_beta):
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/run/beta/{demo_beta.beta_token}/")
    type(demo_beta).objects.filter(pk=demo_beta.pk).update(beta_expires_at=timezone.now() - timedelta(minutes=1))
    page.get_by_label("Username").fill("tester@example.com")
    page.get_by_label("Password").fill("sample-only")
    page.get_by_role("button", name="Run").click()
    expect(page.locator("#run-refused")).to_contain_text("expired")
    from runs.models import LiveRun

    assert not LiveRun.objects.exists()
