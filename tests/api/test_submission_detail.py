"""GET /api/v1/submissions/<id>: state, beta and every phase with its findings."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from connectors import services
from review.models import Finding, Phase, PhaseStatus, ReviewPhase


def _url(submission):
    return f"/api/v1/submissions/{submission.pk}"


def _submit(import_connector, alice, **kwargs):
    return services.connector_submit(connector=import_connector(), user=alice, visibility="company", **kwargs)


def test_it_answers_the_documented_shape(alice_api, alice, import_connector):
    submission = _submit(import_connector, alice)
    body = alice_api.get(_url(submission)).json()
    assert set(body) >= {"id", "connector", "state", "beta_state", "beta_url", "beta_expires_at", "due_date", "phases"}
    assert body["id"] == submission.pk and body["connector"] == submission.connector_id
    assert body["beta_state"] == "none" and body["beta_url"] is None and body["beta_expires_at"] is None
    assert [p["phase"] for p in body["phases"]] == Phase.values


def test_it_gives_findings_the_fields_of_review_bundle(alice_api, alice, import_connector):
    submission = _submit(import_connector, alice)
    row, _ = ReviewPhase.objects.update_or_create(
        submission=submission, phase=Phase.AUTOMATED, defaults={"status": PhaseStatus.FAILED}
    )
    row.findings.all().delete()
    Finding.objects.create(
        submission=submission, review_phase=row, rule="no-xmlhttprequest", severity="error", phase="automated",
        file="processdata.js", line=3, column=11, message="XMLHttpRequest is not available.", hint="Use httprequest.",
    )
    Finding.objects.create(
        submission=submission, review_phase=row, rule="missing-field", severity="error", phase="automated",
        message="Add a description.",
    )
    automated = alice_api.get(_url(submission)).json()["phases"][0]
    assert automated["status"] == "failed"
    assert automated["findings"][1] == {
        "rule": "no-xmlhttprequest", "severity": "error", "phase": "automated", "file": "processdata.js",
        "line": 3, "column": 11, "message": "XMLHttpRequest is not available.", "hint": "Use httprequest.",
        "waived": None,
    }
    assert automated["findings"][0]["file"] is None and automated["findings"][0]["line"] is None


def test_it_shows_the_beta_url_and_expiry_once_published(alice_api, alice, import_connector):
    submission = _submit(import_connector, alice)
    services.submission_self_publish(submission=submission, user=alice)
    submission.refresh_from_db()
    body = alice_api.get(_url(submission)).json()
    assert body["beta_state"] == "active"
    assert submission.beta_token in body["beta_url"] and body["beta_url"].startswith("http")
    assert body["beta_expires_at"].startswith(f"{submission.beta_expires_at:%Y-%m-%d}")


def test_it_answers_404_for_another_companys_submission(bob_api, alice, import_connector):
    response = bob_api.get(_url(_submit(import_connector, alice)))
    assert response.status_code == 404
    assert response.json() == {"error": "No such submission.", "field": None}


def test_it_answers_404_for_an_unknown_id(alice_api):
    assert alice_api.get("/api/v1/submissions/424242").status_code == 404


def test_it_costs_the_same_queries_with_many_findings(alice_api, alice, import_connector):
    submission = _submit(import_connector, alice)
    row, _ = ReviewPhase.objects.get_or_create(submission=submission, phase=Phase.SECURITY)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert alice_api.get(_url(submission)).status_code == 200
        return len(queries)

    count()  # the token's first use writes last_used_at; measure after it
    few = count()
    Finding.objects.bulk_create(
        Finding(submission=submission, review_phase=row, rule=f"r{i}", severity="warning", phase="security",
                file="processdata.js", line=i, message="m")
        for i in range(1, 51)
    )
    assert count() == few


def test_it_says_which_sign_offs_carried_over_from_an_approved_version(alice_api, alice, import_connector):
    submission = _submit(import_connector, alice)
    ReviewPhase.objects.update_or_create(submission=submission, phase=Phase.SECURITY, defaults={
        "status": PhaseStatus.PASSED,
        "details": {"carried_over": {"from_number": 2, "signed_by": "erin", "signed_on": 1, "signed_at": None}}})

    phases = {p["phase"]: p for p in alice_api.get(_url(submission)).json()["phases"]}

    assert phases["security"]["carried_over"] == {"from_number": 2, "signed_by": "erin", "signed_on": 1}
    assert phases["code_review"]["carried_over"] is None
