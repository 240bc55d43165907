"""Waivers: engineers waive a finding for one connector; later reviews show it waived and pass."""

from datetime import timedelta

import pytest
from django.utils import timezone

from connectors import services
from connectors.models import ReviewState, Submission
from review.models import Finding, Phase, PhaseStatus, Waiver
from review.pages.summary import review_summary
from review.waivers import WaiverRefused, waiver_grant, waiver_revoke

pytestmark = pytest.mark.django_db
RULE = "hardcoded-credential"


@pytest.fixture
def submit(alice, django_capture_on_commit_callbacks):
    def _submit(connector):
        with django_capture_on_commit_callbacks(execute=True):
            submission = services.connector_submit(connector=connector, user=alice, visibility="company")
        return Submission.objects.get(pk=submission.pk)

    return _submit


@pytest.fixture
def failed(import_connector, submit):
    """sales-crm-hardcoded-password submitted: its automated tests fail on one error."""
    return submit(import_connector("sales-crm-hardcoded-password"))


def _flagged(submission):
    return submission.findings.get(rule=RULE)


def _edit(connector, alice, change):
    connector.refresh_from_db()
    services.connector_update(connector=connector, user=alice, processdata_script=change(connector.processdata_script))


def test_the_unwaived_error_fails_the_automated_tests(failed):
    assert failed.state == ReviewState.CHANGES_REQUESTED
    assert failed.phases.get(phase=Phase.AUTOMATED).status == PhaseStatus.FAILED


def test_an_engineer_waives_a_finding_with_a_reason_and_it_is_in_the_history(failed, erin):
    finding = _flagged(failed)
    waiver = waiver_grant(finding=finding, engineer=erin, reason="Demo account of the vendor's sandbox")
    finding.refresh_from_db()
    assert finding.waiver == waiver and waiver.connector == failed.connector
    assert (waiver.rule, waiver.file, waiver.expires_on) == (RULE, "processdata.js", None)
    assert "S3cr3t-Passw0rd" in waiver.anchor  # the flagged line's content, not its number
    event = failed.events.get(transition="waive")
    assert event.actor == erin and "Demo account" in event.reason and "until this code changes" in event.reason
    summary = review_summary(failed)
    assert summary.errors == [] and summary.waived == [finding]


def test_a_later_review_passes_when_the_waived_line_only_moved(failed, erin, alice, submit):
    waiver = waiver_grant(finding=_flagged(failed), engineer=erin, reason="Vendor sandbox account")
    _edit(failed.connector, alice, lambda source: "// moved down\n\n" + source)
    again = submit(failed.connector)
    assert again.state == ReviewState.IN_REVIEW
    assert again.phases.get(phase=Phase.AUTOMATED).status == PhaseStatus.PASSED
    finding = _flagged(again)
    assert finding.line == 4 and finding.waiver == waiver


def test_the_waiver_ends_when_the_flagged_line_changes(failed, erin, alice, submit):
    waiver_grant(finding=_flagged(failed), engineer=erin, reason="Vendor sandbox account")
    _edit(failed.connector, alice, lambda source: source.replace("admin:S3cr3t-Passw0rd", "root:An0ther-Passw0rd"))
    again = submit(failed.connector)
    assert again.state == ReviewState.CHANGES_REQUESTED
    assert _flagged(again).waiver is None


def test_it_matches_rule_file_and_line_content_not_line_number(failed, erin):
    from review.waivers import active_waivers, match

    finding = _flagged(failed)
    waiver = waiver_grant(finding=finding, engineer=erin, reason="ok")
    waivers = active_waivers(failed.connector_id)
    moved = {"processdata.js": "\n\n\n" + failed.scripts["processdata.js"]}
    assert match(waivers, moved, RULE, "processdata.js", 5, finding.message) == waiver
    assert match(waivers, failed.scripts, "minified-code", "processdata.js", 2, finding.message) is None
    assert match(waivers, {"other.js": failed.scripts["processdata.js"]}, RULE, "other.js", 2, finding.message) is None
    assert match(waivers, failed.scripts, RULE, "processdata.js", 3, finding.message) is None


def test_an_expired_waiver_no_longer_applies(failed, erin, alice, submit):
    waiver = waiver_grant(finding=_flagged(failed), engineer=erin, reason="ok",
                          expires_on=timezone.localdate() + timedelta(days=1))
    assert waiver.until_label.startswith("until ")
    Waiver.objects.filter(pk=waiver.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    _edit(failed.connector, alice, lambda source: source + "\n")
    assert submit(failed.connector).state == ReviewState.CHANGES_REQUESTED


def test_a_revoked_waiver_no_longer_applies_and_the_revocation_is_in_the_history(failed, erin, alice, submit):
    waiver = waiver_grant(finding=_flagged(failed), engineer=erin, reason="ok")
    waiver_revoke(waiver=waiver, engineer=erin)
    assert failed.events.filter(transition="revoke_waiver", actor=erin).exists()
    _edit(failed.connector, alice, lambda source: source + "\n")
    again = submit(failed.connector)
    assert again.state == ReviewState.CHANGES_REQUESTED
    with pytest.raises(WaiverRefused):
        waiver_revoke(waiver=waiver, engineer=erin)


def test_a_developer_cannot_waive_or_revoke(failed, alice, erin):
    with pytest.raises(WaiverRefused):
        waiver_grant(finding=_flagged(failed), engineer=alice, reason="I say so")
    waiver = waiver_grant(finding=_flagged(failed), engineer=erin, reason="ok")
    with pytest.raises(WaiverRefused):
        waiver_revoke(waiver=waiver, engineer=alice)
    assert Waiver.objects.get().revoked_at is None


@pytest.mark.parametrize("reason,expires,words", [
    ("  ", None, "needs a reason"),
    ("x" * 2001, None, "Shorten"),
    ("ok", -1, "in the past"),
])
def test_it_refuses_a_waiver_without_a_reason_or_with_a_past_expiry(failed, erin, reason, expires, words):
    expires_on = timezone.localdate() + timedelta(days=expires) if expires is not None else None
    with pytest.raises(WaiverRefused, match=words):
        waiver_grant(finding=_flagged(failed), engineer=erin, reason=reason, expires_on=expires_on)
    assert not Waiver.objects.exists()


def test_a_waiver_belongs_to_its_connector_only(failed, erin, import_connector, submit):
    waiver_grant(finding=_flagged(failed), engineer=erin, reason="ok")
    other = submit(import_connector("sales-crm-hardcoded-password"))
    assert other.state == ReviewState.CHANGES_REQUESTED and _flagged(other).waiver is None


def test_a_warning_without_a_line_is_waived_by_its_message(import_connector, submit, erin, alice):
    submission = submit(import_connector("sales-crm"))
    finding = Finding.objects.create(submission=submission, review_phase=submission.phases.get(phase=Phase.AUTOMATED),
                                     rule="no-rows", severity="warning", phase=Phase.AUTOMATED, file="processdata.js",
                                     message="Report X produced no rows with the samples.")
    waiver = waiver_grant(finding=finding, engineer=erin, reason="X is empty in the sandbox")
    assert waiver.anchor.startswith("file:") and waiver.anchor.endswith("Report X produced no rows with the samples.")


def test_the_email_of_a_later_review_lists_the_waived_finding(failed, erin, alice, submit, mailoutbox):
    waiver_grant(finding=_flagged(failed), engineer=erin, reason="Vendor sandbox account")
    _edit(failed.connector, alice, lambda source: "\n" + source)
    mailoutbox.clear()
    submit(failed.connector)
    [passed] = [m for m in mailoutbox if "passed" in m.body]
    assert "Waived by a review engineer" in passed.body
    assert "hardcoded-credential" in passed.body and "waived by erin until this code changes: Vendor sandbox" in passed.body
    html = passed.alternatives[0][0]
    assert "waived by erin" in html


def test_a_finding_is_waived_once(failed, erin):
    waiver_grant(finding=_flagged(failed), engineer=erin, reason="ok")
    with pytest.raises(WaiverRefused, match="waived already"):
        waiver_grant(finding=_flagged(failed), engineer=erin, reason="again")
    assert Waiver.objects.count() == 1


def test_check_now_on_the_draft_applies_the_connectors_waivers(failed, erin, alice, client):
    from django.urls import reverse

    waiver_grant(finding=_flagged(failed), engineer=erin, reason="Vendor sandbox account")
    connector = failed.connector
    _edit(connector, alice, lambda source: "\n" + source)  # editable again: changes were requested
    client.force_login(alice)
    body = client.post(reverse("review:check_now", args=[connector.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-verdict="pass"' in body and "0 errors" in body
    assert "Waived by erin until this code changes: Vendor sandbox account" in body
    _edit(connector, alice, lambda source: source.replace("admin:S3cr3t-Passw0rd", "root:Other-Passw0rd1"))
    body = client.post(reverse("review:check_now", args=[connector.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-verdict="fail"' in body


def test_a_credential_spread_waiver_covers_the_site_it_names_only():
    from review.waivers import finding_anchor

    scripts = {"processdata.js": "httprequest.get(url);\n"}

    def spread(site):
        return (f"The run of report Items sent the account's apikey (metadata.account.apikey) in the x-api-key header "
                f"of GET to files.{site} (site {site}): the secret's home is example.com, and site {site} is another site.")

    cdn = finding_anchor(scripts, "credential-spread", "processdata.js", 1, spread("example-cdn.net"))
    assert cdn == finding_anchor(scripts, "credential-spread", "processdata.js", 1, spread("example-cdn.net").replace("x-api-key", "authorization"))
    assert cdn != finding_anchor(scripts, "credential-spread", "processdata.js", 1, spread("example-collector.net"))
    assert cdn.startswith("sent:httprequest.get(url);") and cdn.endswith("site:example-cdn.net")
