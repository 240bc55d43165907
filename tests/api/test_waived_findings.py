"""The API shows an engineer's waiver on the finding it covers: "waived": {by, reason, until}."""

from connectors import services
from review.models import Phase
from review.waivers import waiver_grant


def test_it_answers_who_waived_a_finding_why_and_until_when(alice_api, alice, erin, import_connector,
                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.connector_submit(connector=import_connector("sales-crm-hardcoded-password"),
                                               user=alice, visibility="company")
    finding = submission.findings.get(rule="hardcoded-credential")
    waiver_grant(finding=finding, engineer=erin, reason="The vendor's public demo account")
    body = alice_api.get(f"/api/v1/submissions/{submission.pk}").json()
    automated = next(p for p in body["phases"] if p["phase"] == Phase.AUTOMATED)
    [waived] = [f for f in automated["findings"] if f["rule"] == "hardcoded-credential"]
    assert waived["waived"]["by"] == "erin"
    assert waived["waived"]["reason"] == "The vendor's public demo account"
    assert waived["waived"]["until_code_changes"] is True and waived["waived"]["expires_on"] is None
    assert all(f["waived"] is None for f in automated["findings"] if f["rule"] != "hardcoded-credential")
