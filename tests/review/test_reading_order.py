"""One order of findings in every view: a failed run's cause first, its consequences after
(bundle-format.md, "Data flow"); review.engine.findings.reading_order."""

from review.engine.findings import Finding, reading_order
from review.models import Finding as StoredFinding


def finding(rule, phase="automated", line=None, column=None, file="processdata.js"):
    return Finding(rule, "error", phase, file, line, column, "")


def test_the_cause_comes_before_the_runtime_error_and_the_consequences_last():
    found = [finding("performance-unmeasured", "performance"), finding("no-rows"),
             finding("runtime-error", line=12, column=13), finding("no-xmlhttprequest", line=12, column=17)]
    assert [f.rule for f in sorted(found, key=reading_order)] == [
        "no-xmlhttprequest", "runtime-error", "no-rows", "performance-unmeasured"]


def test_it_reads_stored_findings_and_their_dicts_alike():
    as_dict = {"rule": "no-rows", "phase": "automated", "file": "processdata.js", "line": None, "column": None}
    assert reading_order(as_dict) == reading_order(finding("no-rows"))


def test_stored_findings_keep_the_order_the_engine_stored_them_in_within_a_file():
    assert StoredFinding._meta.ordering == ["file", "pk"]
