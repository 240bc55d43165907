"""The sample bundles give the results tests/fixtures/bundles/README.md lists."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from connectors.bundle.reader import read_bundle
from review.engine import EngineConfig, run_review
from tests.review.helpers import run_review_bundle

BUNDLES = Path(__file__).resolve().parents[1] / "fixtures" / "bundles"
EXPECTED = {
    "sales-crm": ("pass", None),
    "oauth2-tasks": ("pass", None),
    "workspaces-discovery": ("pass", None),
    "sales-crm-xhr": ("fail", "no-xmlhttprequest"),
    "sales-crm-hardcoded-password": ("fail", "hardcoded-credential"),
    "sales-crm-exfiltration": ("fail", "external-request"),
    "sales-crm-declared-collector": ("fail", "data-exfiltration"),
    "signed-api": ("pass", None),
    "xml-api": ("pass", None),
    "service-account-jwt": ("pass", None),
    "body-paged-api": ("pass", None),
    "sales-crm-minified": ("fail", "minified-code"),
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_it_gives_each_sample_its_expected_result(name):
    verdict, rule = EXPECTED[name]
    code, out, _ = run_review_bundle(str(BUNDLES / name), "--format", "json")
    result = json.loads(out)
    assert result["verdict"] == verdict
    assert code == (0 if verdict == "pass" else 1)
    errors = {f["rule"] for f in result["findings"] if f["severity"] == "error"}
    if rule is None:
        assert errors == set()
    else:
        assert rule in errors


def test_the_passing_samples_have_no_findings_at_all():
    # but service-account-jwt's token, bought from the identity service and sent to the
    # API in a header: data-forwarding, a warning (bundle-format.md, "Data flow").
    for name in PASSING:
        findings = run_review(read_bundle(BUNDLES / name), EngineConfig()).findings
        expected = ["data-forwarding"] if name == "service-account-jwt" else []
        assert [f.rule for f in findings] == expected, name


def test_the_xhr_sample_fails_on_its_banned_api_and_its_runtime_error_only_cause_first():
    result = run_review(read_bundle(BUNDLES / "sales-crm-xhr"), EngineConfig())
    assert [f.rule for f in result.findings] == [
        "no-xmlhttprequest", "runtime-error", "no-rows", "performance-unmeasured"]


PASSING = [name for name, (verdict, _) in EXPECTED.items() if verdict == "pass"]


def test_the_sample_numbers_match_the_readme():
    rows = {name: run_review(read_bundle(BUNDLES / name), EngineConfig()).performance[0]
            for name in ("sales-crm", "oauth2-tasks", "workspaces-discovery")}
    assert rows["sales-crm"]["records"] == 1237 and rows["sales-crm"]["requests"] == 3
    assert rows["oauth2-tasks"]["records"] == 600
    assert rows["workspaces-discovery"]["records"] == 1080
    more = {name: run_review(read_bundle(BUNDLES / name), EngineConfig()).performance[0]
            for name in ("signed-api", "xml-api", "service-account-jwt", "body-paged-api")}
    assert {name: (row["records"], row["requests"]) for name, row in more.items()} == {
        "signed-api": (750, 3), "xml-api": (640, 3), "service-account-jwt": (900, 3), "body-paged-api": (700, 4)}


def test_the_declared_collector_fails_on_data_flow_alone_naming_the_password():
    result = run_review(read_bundle(BUNDLES / "sales-crm-declared-collector"), EngineConfig())
    errors = [f for f in result.findings if f.severity == "error"]
    assert [f.rule for f in errors] == ["data-exfiltration", "credential-spread"]
    assert "the account's password (metadata.account.password)" in errors[0].message
    assert "telemetry.example-collector.net" in errors[0].message
    collector = [s for s in result.sites if s["site"] == "example-collector.net"]
    assert collector == [{"site": "example-collector.net", "hosts": ["telemetry.example-collector.net"],
                          "supplied_data": False, "credentials": ["password"], "data_from": []}]


def test_the_service_account_sample_signs_only_for_the_identity_service_and_both_sites_supply_data():
    # The JWT signed with the private key depends on it, and goes to the identity service
    # (its home); the API receives the token the identity service answered.
    result = run_review(read_bundle(BUNDLES / "service-account-jwt"), EngineConfig())
    assert [(s["site"], s["supplied_data"], s["credentials"], s["data_from"]) for s in result.sites] == [
        ("example-analytics.com", True, [], ["example-identity.com"]),
        ("example-identity.com", True, ["private_key"], [])]


def test_the_json_has_exactly_the_contracts_keys():
    _, out, _ = run_review_bundle(str(BUNDLES / "sales-crm-exfiltration"), "--format", "json")
    result = json.loads(out)
    assert list(result) == ["ruleset", "verdict", "findings", "requests", "performance"]
    assert result["ruleset"] == "2026.12.0"
    assert set(result["findings"][0]) == {"rule", "severity", "phase", "file", "line", "column", "message", "hint"}
    assert set(result["requests"][0]) == {"report", "method", "url", "host", "declared", "matched"}
    assert set(result["performance"][0]) == {"report", "records", "requests", "cpu_seconds", "modeled_seconds",
                                             "records_per_5_min", "passed"}
    leak = [r for r in result["requests"] if not r["declared"]]
    assert leak == [{"report": "Opportunities", "method": "POST", "url": "https://telemetry.example-collector.net/v1",
                     "host": "telemetry.example-collector.net", "declared": False, "matched": False}]


def test_the_text_format_groups_by_file():
    code, out, _ = run_review_bundle(str(BUNDLES / "sales-crm-xhr"))
    assert code == 1
    assert "processdata.js:12:17 no-xmlhttprequest XMLHttpRequest is not available to connectors." in out
    assert "requests:" in out and "performance:" in out


@pytest.mark.parametrize("path", ["does/not/exist", str(BUNDLES / "README.md")])
def test_an_unreadable_bundle_exits_2(path):
    with pytest.raises(CommandError) as raised:
        call_command("review_bundle", path)
    assert raised.value.returncode == 2


def test_a_zip_without_manifest_exits_2(tmp_path):
    import zipfile

    archive = tmp_path / "b.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("processdata.js", "var a = 1;")
    with pytest.raises(CommandError) as raised:
        call_command("review_bundle", str(archive))
    assert raised.value.returncode == 2
