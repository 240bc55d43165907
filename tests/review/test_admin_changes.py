"""The admin's submission page after an approval: the diff since that version, finding
origins, and waivers granted and revoked from the page."""

import pytest

from connectors import services
from review.models import Finding, Phase, Waiver
from tests.conftest import approve
from tests.review.admin_support import PROCESS_FINDING, change_url, in_review, post_decision, staff  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(import_connector, alice, empty_cache):
    """sales-crm v1 approved; v2 adds a line at the top, a host, and is in review with two findings."""
    connector = import_connector("sales-crm")
    approve(services.connector_submit(connector=connector, user=alice, visibility="company"))
    connector.refresh_from_db()
    services.connector_update(
        connector=connector, user=alice,
        processdata_script="var exported = httprequest.get('https://collector.example.net/x');\n"
                           + connector.processdata_script,
        hosts=connector.hosts + ["collector.example.net"],
    )
    submission = in_review(connector, alice)  # PROCESS_FINDING sits at line 3: line 2 of v1
    Finding.objects.create(submission=submission, review_phase=submission.phases.get(phase=Phase.AUTOMATED),
                           rule="insecure-url", severity="warning", phase=Phase.SECURITY, file="processdata.js",
                           line=1, message="A new line's finding.")
    return submission


def _page(client, erin, submission, query=""):
    client.force_login(erin)
    response = client.get(change_url(submission) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_what_changed_since_the_approved_version_first(client, erin, second):
    html = _page(client, erin, second)
    assert "Changes since version 1 (approved)" in html
    assert html.index('id="changes"') < html.index('id="code"')
    hosts = html[html.index('data-testid="hosts-changed"'):]
    assert "added <code>collector.example.net</code>" in hosts[:500]
    diff = html[html.index('data-testid="diff-processdata.js"'):]
    assert '<tr class="diff-add">' in diff and "collector.example.net" in diff
    assert "unchanged lines" in diff
    assert "hosts <small>(changed)</small>" not in html  # hosts have their own call-out, not a key row
    assert "icon_with_background: unchanged" in html and "samples: unchanged" in html


def test_it_shows_the_diff_side_by_side_on_request(client, erin, second):
    html = _page(client, erin, second, "?diff=split")
    diff = html[html.index('data-testid="diff-processdata.js"'):]
    assert 'class="line diff-add"' in diff and "<strong>Side by side</strong>" in html


def test_it_marks_findings_old_and_new(client, erin, second):
    html = _page(client, erin, second)
    old = html.index(PROCESS_FINDING["message"])
    assert "unchanged since version 1" in html[old:old + 1500]
    new = html.index("A new line&#x27;s finding.")
    assert "new in this version" in html[new:new + 800]


def test_it_shows_no_diff_without_an_approved_version(client, erin, import_connector, alice):
    html = _page(client, erin, in_review(import_connector("sales-crm"), alice))
    assert 'id="changes"' not in html and "unchanged since" not in html


def test_an_engineer_waives_a_finding_from_the_page(client, erin, second):
    finding = second.findings.get(rule=PROCESS_FINDING["rule"])
    client.force_login(erin)
    response = post_decision(client, second, f"waive/{finding.pk}", follow=False,
                             reason="XHR only in a comment of the vendor's SDK", expires_on="2099-01-31")
    assert response.status_code == 302 and response["Location"].endswith("#waivers")
    waiver = Waiver.objects.get()
    assert (waiver.granted_by, str(waiver.expires_on)) == (erin, "2099-01-31")
    html = _page(client, erin, second)
    assert "Waived by erin until 2099-01-31: XHR only in a comment" in html
    assert second.events.filter(transition="waive").exists()
    waivers = html[html.index('data-testid="waivers"'):]
    assert "Revoke" in waivers


def test_an_engineer_revokes_a_waiver_from_the_page(client, erin, second):
    finding = second.findings.get(rule=PROCESS_FINDING["rule"])
    client.force_login(erin)
    post_decision(client, second, f"waive/{finding.pk}", reason="ok")
    waiver = Waiver.objects.get()
    post_decision(client, second, f"revoke-waiver/{waiver.pk}")
    waiver.refresh_from_db()
    assert waiver.revoked_by == erin and second.events.filter(transition="revoke_waiver").exists()
    assert "revoked by erin" in _page(client, erin, second)


def test_it_refuses_a_date_that_is_not_one(client, erin, second):
    finding = second.findings.get(rule=PROCESS_FINDING["rule"])
    client.force_login(erin)
    response = post_decision(client, second, f"waive/{finding.pk}", reason="ok", expires_on="next tuesday")
    assert "is not a date; write it as YYYY-MM-DD" in response.content.decode()
    assert not Waiver.objects.exists()


def test_a_finding_of_another_submission_answers_404(client, erin, second, import_connector, alice):
    other = in_review(import_connector("sales-crm"), alice)
    finding = other.findings.first()
    client.force_login(erin)
    assert client.post(change_url(second).replace("change/", f"waive/{finding.pk}/"), {"reason": "x"}).status_code == 404


def test_developers_and_other_staff_cannot_waive(client, alice, staff, second):  # noqa: F811
    finding = second.findings.get(rule=PROCESS_FINDING["rule"])
    url = change_url(second).replace("change/", f"waive/{finding.pk}/")
    client.force_login(alice)
    assert client.post(url, {"reason": "mine"}).status_code == 302  # to the admin's login
    client.force_login(staff)
    assert client.post(url, {"reason": "mine"}).status_code == 403
    assert not Waiver.objects.exists()


def test_engineers_list_every_waiver_and_nobody_edits_one_there(client, erin, second):
    finding = second.findings.get(rule=PROCESS_FINDING["rule"])
    client.force_login(erin)
    post_decision(client, second, f"waive/{finding.pk}", reason="SDK comment")
    listing = client.get("/admin/review/waiver/")
    assert listing.status_code == 200 and "SDK comment" in listing.content.decode()
    waiver = Waiver.objects.get()
    assert client.post(f"/admin/review/waiver/{waiver.pk}/change/", {"reason": "edited"}).status_code == 403
    assert client.post(f"/admin/review/waiver/{waiver.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Waiver.objects.get().reason == "SDK comment"


@pytest.fixture
def third(second, alice, erin):
    """v2 (from `second`) sent back with a note; v3 changes one more line and is in review."""
    services.submission_request_changes(submission=second, user=erin, note="Drop the collector.")
    connector = second.connector
    connector.refresh_from_db()
    services.connector_update(connector=connector, user=alice,
                              processdata_script=connector.processdata_script.replace("var exported", "var sent"))
    return in_review(connector, alice)


def test_it_compares_with_the_version_sent_back_first_and_offers_the_approved_one(client, erin, third):
    """Issue 20, item 6: did the developer change what the last review asked?"""
    html = _page(client, erin, third)
    assert "Changes since version 2 (changes requested)" in html
    assert 'href="?against=approved#changes">version 1 (approved)</a>' in html
    assert "?diff=split&amp;against=reviewed#changes" in html
    approved = _page(client, erin, third, "?against=approved")
    assert "Changes since version 1 (approved)" in approved
    assert 'href="?against=reviewed#changes">version 2 (changes requested)</a>' in approved
    # Against v2, the only changed line is the one renamed; against v1, the added lines too.
    assert "collector.example.net" not in html.split('data-testid="changes"')[1].split('data-testid="diff-')[0]
    assert 'data-testid="hosts-changed"' in approved


def test_an_approval_after_the_sent_back_version_is_the_base(client, erin, import_connector, alice):
    connector = import_connector("sales-crm")
    first = in_review(connector, alice)
    services.submission_request_changes(submission=first, user=erin, note="Fix.")
    approve(services.connector_submit(connector=connector, user=alice, visibility="company"))
    third = in_review(connector, alice)
    html = _page(client, erin, third)
    assert "Changes since version 2 (approved)" in html and 'data-testid="compare-with"' not in html
