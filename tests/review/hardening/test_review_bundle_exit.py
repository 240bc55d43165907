"""review_bundle: exit 3 and one line when a check cannot finish, the worst status of several paths."""

import subprocess
import sys
from pathlib import Path

from tests.review.helpers import run_review_bundle

ROOT = Path(__file__).resolve().parents[3]
BUNDLES = ROOT / "tests" / "fixtures" / "bundles"


def broken(*args, **kwargs):
    raise RecursionError("maximum recursion depth exceeded")


def test_a_check_that_cannot_finish_exits_3_with_one_line(monkeypatch):
    monkeypatch.setattr("review.engine.run_review", broken)
    code, out, err = run_review_bundle(str(BUNDLES / "sales-crm"))
    assert code == 3
    assert err.count("\n") == 1 and "could not finish" in err and "Traceback" not in err
    assert "verdict" not in out


def test_exit_3_is_the_worst_of_several_paths(monkeypatch):
    from review.engine import review as engine_review

    real = engine_review.run_review
    def only_the_xhr_bundle(bundle, config=None):  # the engine breaks on every other bundle
        if b"XMLHttpRequest" in bundle.files.get("processdata.js", b""):
            return real(bundle, config)
        return broken()

    monkeypatch.setattr("review.engine.run_review", only_the_xhr_bundle)
    code, out, err = run_review_bundle(str(BUNDLES / "sales-crm-xhr"), str(BUNDLES / "sales-crm"), "does/not/exist",
                                 "--format", "json")
    assert code == 3
    assert out.count("\n") == 1  # the one bundle that was reviewed
    assert err.count("\n") == 2  # the one that could not finish, the one that cannot be read


def test_from_the_shell_a_deeply_nested_script_is_a_verdict_not_a_traceback(tmp_path):
    import shutil

    bundle = tmp_path / "b"
    shutil.copytree(BUNDLES / "sales-crm", bundle)
    (bundle / "processdata.js").write_text("var x = " + "a." * 3000 + "a;\nvar s = " + " + ".join(["'a'"] * 3000)
                                           + ";\n" + (BUNDLES / "sales-crm" / "processdata.js").read_text())
    done = subprocess.run([sys.executable, "manage.py", "review_bundle", str(bundle)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
