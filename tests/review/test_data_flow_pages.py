"""Where the data goes and the DOMO.log lines, for people: Check now, the status window, the admin page."""

import pytest
from django.urls import reverse

from connectors import services
from connectors.models import Submission
from review.models import Phase, PhaseStatus, ReviewPhase
from review.pages.summary import review_summary
from tests.review.admin_support import change_url, reviewing  # noqa: F401

HTMX = {"HTTP_HX_REQUEST": "true"}
SITES = [
    {"site": "example-sales.com", "hosts": ["crm.example-sales.com"], "supplied_data": True,
     "credentials": ["password"], "data_from": []},
    {"site": "example-collector.net", "hosts": ["telemetry.example-collector.net"], "supplied_data": False,
     "credentials": ["password"], "data_from": ["example-sales.com"]},
]
LOGS = [{"file": "processdata.js", "report": "Opportunities", "lines": ["page 1 read", "key ****"], "count": 2}]


def store(submission):
    ReviewPhase.objects.update_or_create(submission=submission, phase=Phase.SECURITY,
                                         defaults={"status": PhaseStatus.NEEDS_REVIEW, "details": {"sites": SITES}})
    ReviewPhase.objects.update_or_create(submission=submission, phase=Phase.AUTOMATED,
                                         defaults={"status": PhaseStatus.PASSED, "details": {"logs": LOGS}})


def collector_row(body):
    start = body.index('data-site="example-collector.net"')
    return body[body.rindex("<tr", 0, start): body.index("</tr>", start)]


def test_check_now_shows_the_collector_only_received_the_password(client, alice, import_connector):
    connector = import_connector("sales-crm-declared-collector")
    client.force_login(alice)
    body = client.post(reverse("review:check_now", args=[connector.pk]), **HTMX).content.decode()
    assert 'data-verdict="fail"' in body and "data-exfiltration" in body
    assert "Where the data goes" in body
    row = collector_row(body)
    assert "table-danger" in row and "no, it only received" in row and "metadata.account.password" in row
    assert "sample-only" not in body  # the sample password itself never shows


def test_check_now_shows_the_log_lines_with_the_secret_masked(client, alice, import_connector):
    connector = import_connector("xml-api")
    client.force_login(alice)
    body = client.post(reverse("review:check_now", args=[connector.pk]), **HTMX).content.decode()
    assert "DOMO.log of the report Shipments: 2 lines" in body
    assert "shipments from 0: 400" in body and "shipments from 400: 240" in body
    assert "sample-xml-password" not in body


def test_the_pipeline_stores_sites_and_logs_that_the_summary_reads(import_connector, alice,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.connector_submit(connector=import_connector("xml-api"), user=alice, visibility="company")
    summary = review_summary(Submission.objects.get(pk=submission.pk))
    assert [(s.site, s.supplied_data, s.credentials) for s in summary.sites] == [
        ("example-shipping.net", True, ("password",))]
    assert [(log.label, log.count, log.cut) for log in summary.logs] == [("report Shipments", 2, False)]


@pytest.fixture
def submitted(import_connector, alice):
    return services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")


def test_the_status_window_shows_per_site_what_it_supplied_and_received(client, alice, submitted):
    store(submitted)
    client.force_login(alice)
    body = client.get(reverse("review:status", args=[submitted.pk])).content.decode()
    assert "Where the data goes" in body
    row = collector_row(body)
    assert "no, it only received" in row and "metadata.account.password" in row and "data from" in row
    assert "page 1 read" in body and "key ****" in body


def test_the_admin_page_shows_where_the_data_goes_before_the_phases(client, erin, reviewing):  # noqa: F811
    store(reviewing)
    client.force_login(erin)
    body = client.get(change_url(reviewing)).content.decode()
    assert body.index('id="data-flow"') < body.index('id="phases"')
    assert "table-danger" in collector_row(body)
    assert "DOMO.log of the report Opportunities: 2 lines" in body


def test_pages_without_a_run_show_no_table(client, alice, submitted):
    client.force_login(alice)
    body = client.get(reverse("review:status", args=[submitted.pk])).content.decode()
    assert 'class="table table-sm small align-middle data-flow"' not in body
