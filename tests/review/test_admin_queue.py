"""The review queue: open submissions, oldest due date first, filters, due date and age on every row."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from connectors import services
from connectors.page_scopes import REVIEW_QUEUE
from portal.fragments import changed
from review.models import PhaseStatus
from tests.review.admin_support import in_review, set_due

QUEUE = "/admin/connectors/submission/"


def _rows(client, query=""):
    html = client.get(QUEUE + query).content.decode()
    return re.findall(r'<th class="field-submission"><a [^>]*>([^<]+)</a>', html), html


def _connector(import_connector, name):
    connector = import_connector("sales-crm")
    connector.name = name
    connector.save()
    return connector


def test_it_lists_open_submissions_oldest_due_date_first(client, erin, alice, import_connector):
    late = in_review(_connector(import_connector, "Late"), alice)
    soon = services.connector_submit(connector=_connector(import_connector, "Soon"), user=alice, visibility="public")
    ended = in_review(_connector(import_connector, "Ended"), alice)
    services.submission_request_changes(submission=ended, user=erin, note="Fix it.")
    _draft = _connector(import_connector, "Draft only")
    set_due(late, -2)
    set_due(soon, 5)
    client.force_login(erin)
    rows, html = _rows(client)
    assert rows == ["Late v1", "Soon v1"]
    assert "(overdue)" in html
    # Every row has its due date and age.
    assert html.count('class="field-due"') == 2 and html.count('class="field-age"') == 2


def test_it_filters_by_state(client, erin, alice, import_connector):
    ended = in_review(_connector(import_connector, "Ended"), alice)
    services.submission_request_changes(submission=ended, user=erin, note="Fix it.")
    in_review(_connector(import_connector, "Open"), alice)
    client.force_login(erin)
    assert _rows(client, "?queue=changes_requested")[0] == ["Ended v1"]
    assert sorted(_rows(client, "?queue=all")[0]) == ["Ended v1", "Open v1"]


def test_it_filters_by_visibility(client, erin, alice, import_connector):
    in_review(_connector(import_connector, "Private"), alice, visibility="company")
    in_review(_connector(import_connector, "Public"), alice, visibility="public")
    client.force_login(erin)
    assert _rows(client, "?visibility__exact=public")[0] == ["Public v1"]


def test_it_filters_by_phase_status(client, erin, alice, import_connector):
    in_review(_connector(import_connector, "Waiting"), alice)
    in_review(_connector(import_connector, "Signed"), alice, human=PhaseStatus.PASSED)
    client.force_login(erin)
    assert _rows(client, "?phase_status=needs_review")[0] == ["Waiting v1"]


def test_it_filters_overdue(client, erin, alice, import_connector):
    late = in_review(_connector(import_connector, "Late"), alice)
    fine = in_review(_connector(import_connector, "Fine"), alice)
    set_due(late, -1)
    set_due(fine, 3)
    client.force_login(erin)
    assert _rows(client, "?overdue=yes")[0] == ["Late v1"]
    assert _rows(client, "?overdue=no")[0] == ["Fine v1"]


def test_it_costs_the_same_queries_with_1_and_50_rows(client, erin, alice, import_connector):
    client.force_login(erin)
    in_review(import_connector("sales-crm"), alice)

    def count():
        changed(REVIEW_QUEUE)  # the first view since a change: the queue is read, not the cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(QUEUE).status_code == 200
        return len(queries)

    one = count()
    for _ in range(49):
        in_review(import_connector("sales-crm"), alice)
    assert len(_rows(client)[0]) == 50
    assert count() == one
