"""Hostile bundle content against the review's bounds: .venv/bin/python bench/hostile_content.py

The shapes of issue 18 (a backtracking XML sample, 30,000 received values with a shared
prefix sent back in a 3.6 MB body, a 200,000-deep JSON sample), each reviewed in-process
as review_bundle does, against sales-crm with the same extra request (the honest base).
Prints seconds, the ratio to the honest review, the data-flow stage and whether
review-limit was reported. Target: each under 30 s on 2 cores (before: 112 s, over 300 s,
and exit 3).
"""

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from connectors.bundle.importer import import_bundle  # noqa: E402
from review.engine import EngineConfig, run_review  # noqa: E402
from tests.review.hardening.hostile_content import (  # noqa: E402
    deep_json,
    hostile_bundle,
    shared_prefix_values,
    xml_backtracking,
)

SHAPES = [
    ("honest (a 20-byte JSON sample)", '{"ok": true, "n": 1}', False),
    ("XML <a>a>a>... 300 KB", xml_backtracking(), False),
    ("30,000 shared-prefix values sent back, 3.6 MB", shared_prefix_values(), True),
    ("JSON 200,000 deep", deep_json(), False),
]


def main() -> None:
    config = EngineConfig.from_environment()
    base = None
    print(f"{'shape':<48} {'seconds':>8} {'x honest':>9} {'dataflow s':>11} review-limit")
    with tempfile.TemporaryDirectory() as tmp:
        for n, (name, body, send) in enumerate(SHAPES):
            folder = Path(tmp) / str(n)
            folder.mkdir()
            bundle = import_bundle(str(hostile_bundle(folder, body, send_body=send))).bundle
            run_review(bundle, config) if n == 0 else None  # warm the sandbox pool once
            started = time.perf_counter()
            result = run_review(bundle, config)
            seconds = time.perf_counter() - started
            base = base or seconds
            limited = any(f.rule == "review-limit" for f in result.findings)
            print(f"{name:<48} {seconds:>8.2f} {seconds / base:>9.1f} {result.timings['dataflow']:>11.2f} "
                  f"{'yes' if limited else 'no'}")


if __name__ == "__main__":
    main()
