"""Diff and Dev Studio import speed: .venv/bin/python bench/version_diff_speed.py

Timings are ratios to a baseline measured in the same run on the same input:
- the diff of two versions of a script against highlighting that script once (the
  code viewer's cost, which every version already pays): the diff highlights both
  versions, so about 2x is the floor;
- the diff of a 1 MiB script with 1% of its lines changed, and with every line changed;
- `unchanged since` line matching (no highlighting) on the same pair;
- importing the Dev Studio fixture export against reading a bundle of ours of the same
  connector (read_bundle of its conversion).
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from connectors.bundle.importer import import_bundle  # noqa: E402
from connectors.bundle.reader import read_bundle  # noqa: E402
from connectors.bundle.writer import write_bundle_zip  # noqa: E402
from review.pages.code_viewer import highlight_lines  # noqa: E402
from review.pages.version_diff import line_origins, script_diff  # noqa: E402

EXPORT = ROOT / "tests" / "fixtures" / "devstudio" / "aws-copy"


def timed(fn, repeat=3):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def script(lines: int, changed_every: int = 0) -> str:
    out = []
    for i in range(lines):
        text = f"  var v{i} = httprequest.get('https://api.example.com/items?page=' + {i});"
        if changed_every and i % changed_every == 0:
            text = text.replace("items", "things")
        out.append(text)
    return "\n".join(out) + "\n"


def row(name, seconds, baseline):
    print(f"  {name:<52} {seconds * 1000:>9.1f} ms {seconds / baseline:>7.2f}x")


if __name__ == "__main__":
    for size in (2_000, 14_000):  # ~150 KiB and ~1 MiB of source
        old = script(size)
        few = script(size, changed_every=100)
        every = script(size, changed_every=1)
        base = timed(lambda: highlight_lines(old))
        print(f"{size:,} lines, {len(old) / 1024:,.0f} KiB (baseline: highlight one version)")
        row("highlight one version (baseline)", base, base)
        row("diff, 1% of lines changed", timed(lambda: script_diff("p.js", old, few)), base)
        row("diff, every line changed", timed(lambda: script_diff("p.js", old, every), repeat=1), base)
        row("unchanged-since matching, 1% changed", timed(lambda: line_origins(old, few)), base)
    zipped = write_bundle_zip(import_bundle(EXPORT).bundle)
    base = timed(lambda: read_bundle(zipped), repeat=20)
    print("Dev Studio import (baseline: read the same connector as a bundle of ours)")
    row("read_bundle of the converted bundle (baseline)", base, base)
    row("import_bundle of the Dev Studio folder", timed(lambda: import_bundle(EXPORT), repeat=20), base)
