"""Content past a bound of the review's own checks is a `review-limit` finding, never our failure.

Issue 18, item 1: hostile sample bodies once held a core for minutes in Python (a
backtracking regular expression, a quadratic index scan) or raised RecursionError
(exit 3; in the portal, retries and a hand-off to an engineer: fail-open). Now each
ends quickly, as a verdict, and the bundle's other findings are still reported.
"""

import json
import time

import pytest
from django_q.models import Schedule

from connectors import services
from review import services as review_services
from review.engine import review_limit
from review.engine.review_limit import ReviewLimit
from review.engine.variants import perturbed_body
from review.models import Phase, PhaseStatus
from tests.review.hardening.hostile_content import (
    COLLECTOR,
    deep_json,
    hostile_bundle,
    shared_prefix_values,
    xml_backtracking,
)
from tests.review.helpers import run_review_bundle

MAX_SECONDS = 30


def review_json(bundle):
    started = time.monotonic()
    code, out, err = run_review_bundle(str(bundle), "--format", "json")
    elapsed = time.monotonic() - started
    assert err == "", err
    return code, json.loads(out), elapsed


def by_rule(result, rule):
    return [f for f in result["findings"] if f["rule"] == rule]


def assert_password_exfiltration_reported(result):
    assert any(COLLECTOR in f["message"] and "password" in f["message"] for f in by_rule(result, "data-exfiltration"))


def test_a_200000_deep_json_sample_is_a_review_limit_not_exit_3(tmp_path):
    code, result, elapsed = review_json(hostile_bundle(tmp_path, deep_json(), name="deep.json"))
    assert elapsed < MAX_SECONDS
    assert code == 1 and result["verdict"] == "fail"
    [limit] = by_rule(result, "review-limit")
    assert (limit["severity"], limit["phase"]) == ("error", "automated")
    assert "samples.responses[4]" in limit["message"] and "samples/deep.json" in limit["message"]
    assert "nest" in limit["message"] and f"{review_limit.MAX_SAMPLE_DEPTH:,}" in limit["message"]
    assert_password_exfiltration_reported(result)


def test_thirty_thousand_values_with_a_shared_prefix_sent_back_end_in_seconds(tmp_path):
    """Once a quadratic scan of a value index; the data flow now compares runs, linear in what they sent."""
    code, result, elapsed = review_json(hostile_bundle(tmp_path, shared_prefix_values(), send_body=True,
                                                       name="values.json"))
    assert elapsed < MAX_SECONDS
    assert code == 1
    assert_password_exfiltration_reported(result)
    # The received data sent back depends on the hostile site's answer: reported as such.
    assert any("data received from crm.example-sales.com" in f["message"] and COLLECTOR in f["message"]
               for f in by_rule(result, "data-exfiltration"))


def test_a_backtracking_xml_sample_is_read_in_linear_time(tmp_path):
    code, result, elapsed = review_json(hostile_bundle(tmp_path, xml_backtracking(), name="rows.xml"))
    assert elapsed < MAX_SECONDS
    assert code == 1
    assert_password_exfiltration_reported(result)
    started = time.process_time()
    perturbed_body(xml_backtracking(3_000_000))  # ten times the shape that once took 112 s in a regex
    assert time.process_time() - started < 2


def test_the_xml_variant_changes_the_text_between_tags_and_keeps_the_tags():
    assert perturbed_body("<rows><row id='r-1'>Alpha &amp; 12</row> x</rows>") == (
        "<rows><row id='r-1'>Bmqib &bnq; 23</row> y</rows>")


def test_a_json_sample_past_the_depth_the_review_reads_is_changed_as_text_without_recursion():
    body = "[" * 200_000 + '"ab12"' + "]" * 200_000
    changed = perturbed_body(body)
    assert len(changed) == len(body) and changed != body
    assert [c for c in changed if c in "[]{}"] == [c for c in body if c in "[]{}"]


def test_the_json_depth_is_checked_without_recursion():
    assert review_limit.json_depth('{"a": [1, {"b": "[[[[["}]}') == 3
    assert review_limit.json_depth('["\\"[[[", [[]]]') == 3
    assert review_limit.json_depth(deep_json(1_000_000)) == 1_000_000


@pytest.mark.parametrize("error", [RecursionError("maximum recursion depth exceeded"), MemoryError(),
                                   ReviewLimit("the review's CPU time for the data flow", "the runs' requests")])
def test_any_recursion_memory_or_deadline_error_from_content_becomes_review_limit(monkeypatch, bundles_dir, error):
    def broken(*args, **kwargs):
        raise error

    monkeypatch.setattr("review.engine.review.follow", broken)
    code, out, err = run_review_bundle(str(bundles_dir / "sales-crm"), "--format", "json")
    assert code == 1 and err == ""
    [limit] = by_rule(json.loads(out), "review-limit")
    assert "data flow" in limit["message"]


@pytest.mark.django_db
def test_in_the_portal_the_first_attempt_fails_the_automated_phase_with_the_other_findings(
        tmp_path, import_connector, alice):
    connector = import_connector(hostile_bundle(tmp_path, deep_json(), name="deep.json"))
    submission = services.connector_submit(connector=connector, user=alice, visibility="company")
    assert review_services.review_submission(submission.pk) == "failed"
    automated = submission.phases.get(phase=Phase.AUTOMATED)
    assert automated.status == PhaseStatus.FAILED and automated.attempts == 1
    rules = set(submission.findings.values_list("rule", flat=True))
    assert {"review-limit", "data-exfiltration"} <= rules
    assert submission.findings.get(rule="review-limit").review_phase == automated
    assert not Schedule.objects.filter(name__startswith=f"review-retry-{submission.pk}-").exists()
    assert not submission.events.filter(transition="checks_not_finished").exists()
