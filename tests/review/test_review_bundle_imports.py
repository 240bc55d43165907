"""review_bundle's fast path imports only what a review of one bundle uses.

Why a test: each of these imports cost the whole-process bench milliseconds
(bench/review_bundle_vs_eslint.py), and a top-level import added anywhere on the path
would bring one back silently. Django, Pillow (the icons are plain PNGs) and hashlib
stay out; the worker is still a process of its own.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CODE = """
import io, contextlib, json, sys
from review.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    status = main(["demo/bundles/sales-crm", "--format", "json"])
from review.engine.sandbox_pool import shared_pool
workers = [w.process.pid for w in shared_pool()._workers]
print(json.dumps({"status": status, "verdict": json.loads(out.getvalue())["verdict"], "workers": workers, "pid": __import__("os").getpid(),
                  "loaded": sorted(m for m in ("django", "PIL", "hashlib", "argparse") if m in sys.modules)}))
"""


def test_the_fast_path_leaves_django_pillow_and_hashlib_alone():
    done = subprocess.run([sys.executable, "-c", CODE], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    import json

    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["status"] == 0 and seen["verdict"] == "pass"
    assert seen["loaded"] == ["argparse"]
    # The scripts ran in sandbox workers, processes of their own.
    assert seen["workers"] and seen["pid"] not in seen["workers"]
