"""Every static check is linear in the script's size: no backtracking pattern, no recursion per term."""

import time

import pytest

from review.engine.rules.minified import minified_evidence
from review.engine.secret_scanner import MAY_HOLD_A_KEY
from tests.review.helpers import review, static_findings

KIB = 1024


def shape(unit, size):
    return unit * (size // len(unit))


@pytest.mark.parametrize("unit", ["/* ", "'\\", '"a', "`", "_0x", "\\x41"])
def test_the_minified_check_scans_once(unit):
    started = time.process_time()
    minified_evidence(shape(unit, 256 * KIB))
    # Generous: the quadratic pattern took 31 s on 100 KiB of '/* '; a linear scan takes milliseconds.
    assert time.process_time() - started < 5


def test_the_secret_prefilter_does_not_backtrack_over_colons():
    started = time.process_time()
    assert MAY_HOLD_A_KEY.search("://" + ":" * 200_000) is None
    assert time.process_time() - started < 5
    assert MAY_HOLD_A_KEY.search("https://user:secret@host/") is not None


def test_a_long_honest_concatenation_is_folded_without_recursion():
    terms = " +\n".join(f"'p{i}'" for i in range(3000))
    source = f"var url = 'https://evil.example/' + {terms};\nhttprequest.get('https://evil.example/' + {terms});\n"
    hits = static_findings(source, "external-request")
    assert len(hits) == 1 and "evil.example" in hits[0].message


def test_a_long_member_chain_and_concatenation_do_not_crash_any_rule():
    # Never run (the static rules read it): the log below it still runs, and credential-logging
    # is judged by the runs.
    chain = "if (false) { var x = a" + ".b" * 5000 + "; }\n"
    concat = "var s = " + " + ".join(["'a'"] * 5000) + ";\nDOMO.log(metadata.account.apikey + " + "+".join(["'x'"] * 2000) + ");\n"
    result = review(processdata=chain + concat + "datagrid.addColumn('a'); datagrid.addCell('x'); datagrid.endRow();\n")
    assert "credential-logging" in {f.rule for f in result.findings}
    assert not any("RecursionError" in f.message for f in result.findings)


def test_a_script_that_does_not_parse_is_checked_quickly():
    started = time.monotonic()
    result = review(processdata=shape("/* ", 100 * KIB) + "\n{")
    assert "syntax-error" in {f.rule for f in result.findings}
    assert time.monotonic() - started < 30
