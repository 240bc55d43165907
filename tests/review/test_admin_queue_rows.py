"""The queue's rows: Django's own result_list, with the columns of review.admin.queue."""

from django.contrib import admin
from django.test import RequestFactory
from django.utils.html import format_html_join

from connectors import services
from connectors.models import Submission
from review.admin.queue import PHASE_SHORT, STATUS_MARK, phase_summary
from tests.review.admin_support import in_review, set_due

QUEUE = "/admin/connectors/submission/"


def _changelist(erin, query):
    request = RequestFactory().get(QUEUE + query)
    request.user = erin
    cl = admin.site._registry[Submission].get_changelist_instance(request)
    return cl


def _queue(import_connector, alice, erin):
    names = ['Tags <b>&amp; "quotes"', "Late", "Ended"]
    submissions = []
    for name, visibility in zip(names, ["company", "public", "company"]):
        connector = import_connector("sales-crm")
        connector.name = name
        connector.save()
        submissions.append(in_review(connector, alice, visibility=visibility))
    set_due(submissions[1], -3)
    services.submission_request_changes(submission=submissions[2], user=erin, note="Fix it.")


def test_it_shows_the_queue_with_its_rows(client, erin, alice, import_connector):
    _queue(import_connector, alice, erin)
    client.force_login(erin)
    html = client.get(QUEUE + "?queue=all").content.decode()
    assert html.count('<th class="field-submission">') == 3
    assert "Tags &lt;b&gt;&amp;amp; &quot;quotes&quot; v1" in html
    assert "(overdue)" in html


def test_it_badges_phases_as_format_html_join_did(client, erin, alice, import_connector):
    _queue(import_connector, alice, erin)
    client.force_login(erin)
    for submission in _changelist(erin, "?queue=all").result_list:
        assert phase_summary(submission) == format_html_join(" ", '<span class="phase phase-{}" title="{}: {}">{} {}</span>', (
            (row.status, row.get_phase_display(), row.get_status_display(), PHASE_SHORT[row.phase], STATUS_MARK[row.status])
            for row in submission.phases.all()))
