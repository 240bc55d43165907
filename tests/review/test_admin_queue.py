"""The review queue: open submissions, oldest due date first, filters, due date and age on every row."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext

from connectors import services
from connectors.models import Submission
from portal.permissions import REVIEW_ENGINEERS_GROUP
from review.models import Phase, PhaseStatus, ReviewPhase
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
        with CaptureQueriesContext(connection) as queries:
            assert client.get(QUEUE).status_code == 200
        return len(queries)

    one = count()
    for _ in range(49):
        in_review(import_connector("sales-crm"), alice)
    assert len(_rows(client)[0]) == 50
    assert count() == one


# -- every view reads the queue afresh (Django's ChangeList, no cached part) ---------------


@pytest.mark.parametrize("change", ["phase", "submitted", "approved", "company", "connector"])
def test_it_shows_a_change_on_the_next_view(client, erin, alice, import_connector, change):
    submission = in_review(_connector(import_connector, "Queued"), alice)
    client.force_login(erin)
    assert _rows(client)[0] == ["Queued v1"]
    if change == "phase":
        phase = ReviewPhase.objects.get(submission=submission, phase=Phase.SECURITY)
        phase.status = PhaseStatus.FAILED
        phase.save()
    elif change == "submitted":
        services.connector_submit(connector=_connector(import_connector, "Newcomer"), user=alice, visibility="public")
    elif change == "approved":
        ReviewPhase.objects.filter(submission=submission).update(status=PhaseStatus.PASSED)
        services.submission_approve(submission=Submission.objects.get(pk=submission.pk), user=erin)
    elif change == "company":
        submission.connector.company.name = "Acme Renamed"
        submission.connector.company.save()
    else:  # the draft is edited: the queue shows the version's own name
        submission.connector.name = "Renamed"
        submission.connector.save()
    rows, html = _rows(client)
    expected = {
        "phase": lambda: rows == ["Queued v1"] and "phase phase-failed" in html,
        "submitted": lambda: sorted(rows) == ["Newcomer v1", "Queued v1"],
        "approved": lambda: rows == [],
        "company": lambda: '<td class="field-company">Acme Renamed</td>' in html,
        "connector": lambda: rows == ["Queued v1"],
    }
    assert expected[change](), rows


def test_each_engineer_gets_their_own_token_and_name(client, erin, alice, import_connector, django_user_model):
    in_review(_connector(import_connector, "Queued"), alice)
    frank = django_user_model.objects.create_user("frank", "frank@example.com", "pw", is_staff=True)
    frank.groups.add(Group.objects.get(name=REVIEW_ENGINEERS_GROUP))
    client.force_login(erin)
    other = Client()
    other.force_login(frank)
    secrets = []
    for browser, name in [(client, "erin"), (other, "frank")]:
        html = browser.get(QUEUE).content.decode()
        assert f"<strong>{name}</strong>" in html and "Queued v1" in html
        tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert len(tokens) == 2  # the log-out form and the changelist's form
        secret = browser.cookies["csrftoken"].value
        assert [_unmask_cipher_token(token) for token in tokens] == [secret, secret]
        secrets.append(secret)
    assert secrets[0] != secrets[1]


def test_each_filter_search_and_page(client, erin, alice, import_connector, monkeypatch):
    first = in_review(_connector(import_connector, "Open"), alice)
    ended = in_review(_connector(import_connector, "Ended"), alice)
    services.submission_request_changes(submission=ended, user=erin, note="Fix it.")
    set_due(first, 1)
    set_due(ended, 2)
    monkeypatch.setattr(admin.site._registry[Submission], "list_per_page", 1)
    client.force_login(erin)
    expected = {
        "": ["Open v1"],
        "?queue=changes_requested": ["Ended v1"],
        "?queue=all": ["Open v1"],
        "?queue=all&p=2": ["Ended v1"],
        "?queue=all&q=Ended": ["Ended v1"],
    }
    for query, rows in expected.items():
        assert _rows(client, query)[0] == rows, query


def test_unusual_requests_take_djangos_path(client, erin, alice, import_connector, monkeypatch):
    in_review(_connector(import_connector, "Queued"), alice)
    in_review(_connector(import_connector, "Second"), alice)
    monkeypatch.setattr(admin.site._registry[Submission], "list_per_page", 1)
    client.force_login(erin)
    for query in ["?nonsense=1", "?p=5"]:  # an unknown lookup, a page past the end
        response = client.get(QUEUE + query)
        assert response.status_code == 302 and response["Location"] == QUEUE + "?e=1", query
    assert client.get(QUEUE + "?e=1").context_data["cl"].result_count == 2
    popup = client.get(QUEUE + "?_popup=1")
    assert popup.context_data["cl"].is_popup and "Queued v1" in popup.content.decode()


def test_the_admin_index_still_lists_what_an_engineer_may_open(client, erin):
    # The app list is lazy (portal.admin_site), not gone: the index builds and shows it.
    client.force_login(erin)
    page = client.get("/admin/").content.decode()
    assert "/admin/connectors/submission/" in page and "/admin/review/waiver/" in page
    assert client.get("/admin/review/").status_code == 200
    assert client.get("/admin/nothing-here/").status_code == 404
