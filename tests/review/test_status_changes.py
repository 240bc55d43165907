"""The developer's status window and code viewer: the diff since the last approved
version, findings marked new or unchanged, and waivers shown on the findings they cover."""

import pytest
from django.urls import reverse

from connectors import services
from review.models import Finding, Phase
from review.waivers import waiver_grant
from tests.conftest import approve
from tests.review.admin_support import PROCESS_FINDING, in_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(import_connector, alice, empty_cache):
    connector = import_connector("sales-crm")
    approve(services.connector_submit(connector=connector, user=alice, visibility="company"))
    connector.refresh_from_db()
    services.connector_update(connector=connector, user=alice,
                              processdata_script="var added = 1;\n" + connector.processdata_script)
    return in_review(connector, alice)


def _status(client, alice, submission, query=""):
    client.force_login(alice)
    response = client.get(reverse("review:status", args=[submission.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_status_window_shows_what_changed_since_the_approved_version(client, alice, second):
    html = _status(client, alice, second)
    assert "Changes since version 1 (approved)" in html
    assert 'data-testid="diff-processdata.js"' in html and "diff-add" in html
    assert "unchanged since version 1" in html


def test_the_live_part_does_not_recompute_the_diff(client, alice, second):
    client.force_login(alice)
    response = client.get(reverse("review:status", args=[second.pk]), HTTP_HX_REQUEST="true")
    assert "Changes since version" not in response.content.decode()


def test_the_first_version_has_no_diff(client, alice, import_connector):
    submission = in_review(import_connector("sales-crm"), alice)
    assert 'id="changes"' not in _status(client, alice, submission)


def test_the_status_window_and_code_viewer_show_a_waiver(client, alice, erin, second):
    finding = second.findings.get(rule=PROCESS_FINDING["rule"])
    waiver_grant(finding=finding, engineer=erin, reason="Only in a comment of the SDK")
    html = _status(client, alice, second)
    assert "Waived by erin until this code changes: Only in a comment of the SDK" in html
    code = client.get(reverse("review:code", args=[second.pk]) + "?file=processdata.js").content.decode()
    assert "Waived by erin until this code changes: Only in a comment of the SDK" in code


def test_an_outsider_gets_404_not_the_diff(client, bob, second):
    client.force_login(bob)
    assert client.get(reverse("review:status", args=[second.pk])).status_code == 404


def test_a_new_finding_stands_out(client, alice, second):
    Finding.objects.create(submission=second, review_phase=second.phases.get(phase=Phase.AUTOMATED), rule="insecure-url",
                           severity="warning", phase=Phase.AUTOMATED, file="processdata.js", line=1, message="New one.")
    assert "new in this version" in _status(client, alice, second)


def test_the_code_viewer_marks_findings_unchanged_since_the_approved_version(client, alice, second):
    client.force_login(alice)
    code = client.get(reverse("review:code", args=[second.pk]) + "?file=processdata.js").content.decode()
    assert "unchanged since version 1" in code
