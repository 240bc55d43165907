"""A whole review_bundle process against a whole ESLint 9 process on the same two files.

    .venv/bin/python bench/review_bundle_vs_eslint.py [rounds]

ESLint is the yardstick the issue set: a developer's linter on the sales-crm sample's
authentication.js and processdata.js, as one `eslint` process, against one
`manage.py review_bundle demo/bundles/sales-crm` process (which also runs both scripts
in the sandbox). ESLint is installed from npm into bench/.eslint/ for this bench only
(never a dependency of the portal). The two run alternately, so a machine busy with
other work slows both alike; the table gives medians and their ratio.

Python runs as it does by default, caching compiled modules in __pycache__ (a
PYTHONDONTWRITEBYTECODE=1 left in the environment would recompile the project's
modules on every run, ~0.08 s, which no developer's set-up does by default). The
third row is the same review through Django's full start-up, as review_bundle ran
before it had a fast path.
"""

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ESLINT_DIR = ROOT / "bench" / ".eslint"
ESLINT = ESLINT_DIR / "node_modules" / ".bin" / "eslint"
BUNDLE = ROOT / "demo" / "bundles" / "sales-crm"
# ESLint's own recommended rules, for ES5 scripts, knowing Domo's globals: what a
# developer linting a connector would run.
CONFIG = """const js = require("@eslint/js");
module.exports = [js.configs.recommended, {
  languageOptions: { ecmaVersion: 5, sourceType: "script", globals: {
    httprequest: "readonly", datagrid: "readonly", DOMO: "readonly", metadata: "readonly",
    auth: "readonly", discovery: "readonly", sql: "readonly", aws: "readonly" } }
}];
"""
# The peer configuration (issue 17): only what overlaps the review's own static rules:
# XMLHttpRequest and fetch refused, eval and its kin, `with`, and undefined names.
PEER_CONFIG = """module.exports = [{
  languageOptions: { ecmaVersion: 5, sourceType: "script", globals: {
    httprequest: "readonly", datagrid: "readonly", DOMO: "readonly", metadata: "readonly",
    auth: "readonly", discovery: "readonly", sql: "readonly", aws: "readonly" } },
  rules: {
    "no-restricted-globals": ["error", "XMLHttpRequest", "fetch"],
    "no-eval": "error", "no-implied-eval": "error", "no-new-func": "error", "no-with": "error", "no-undef": "error"
  }
}];
"""


def ensure_eslint() -> None:
    if ESLINT.exists():
        return
    if shutil.which("npm") is None:
        sys.exit("npm is needed for this bench (apt-get install npm)")
    ESLINT_DIR.mkdir(parents=True, exist_ok=True)
    (ESLINT_DIR / "package.json").write_text('{"name": "bench-eslint", "private": true}\n')
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", "eslint@9"], cwd=ESLINT_DIR, check=True)


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(args, cwd, env=None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (the process and every process it waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or ENV)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        sys.exit(f"{args[0]} failed: {done.stderr.decode()[:500]}")
    return elapsed, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main(rounds: int) -> None:
    ensure_eslint()
    (ESLINT_DIR / "eslint.config.js").write_text(CONFIG)
    (ESLINT_DIR / "eslint.peer.config.js").write_text(PEER_CONFIG)
    files = [str(BUNDLE / "authentication.js"), str(BUNDLE / "processdata.js")]
    eslint = [str(ESLINT), "--config", str(ESLINT_DIR / "eslint.config.js"), "--no-config-lookup", *files]
    peer = [str(ESLINT), "--config", str(ESLINT_DIR / "eslint.peer.config.js"), "--no-config-lookup", *files]
    review = [sys.executable, "manage.py", "review_bundle", str(BUNDLE)]
    with_django = [sys.executable, "-m", "django", "review_bundle", str(BUNDLE)]
    django_env = {**ENV, "DJANGO_SETTINGS_MODULE": "portal.settings", "PYTHONPATH": str(ROOT)}
    timed(eslint, ROOT), timed(peer, ROOT), timed(review, ROOT), timed(with_django, ROOT, django_env)  # warm the caches
    times = {"eslint": [], "peer": [], "review": [], "django": []}
    for _ in range(rounds):
        times["eslint"].append(timed(eslint, ROOT))
        times["peer"].append(timed(peer, ROOT))
        times["review"].append(timed(review, ROOT))
        times["django"].append(timed(with_django, ROOT, django_env))
    wall = {k: statistics.median(t[0] for t in v) for k, v in times.items()}
    cpu = {k: statistics.median(t[1] for t in v) for k, v in times.items()}
    rows = [("eslint", "eslint 9 (recommended), the two scripts"),
            ("peer", "eslint 9 (6-rule peer configuration)"),
            ("review", "manage.py review_bundle demo/bundles/sales-crm"),
            ("django", "  the same with Django start-up (as before)")]
    print(f"{'process (medians of ' + str(rounds) + ')':<48} {'wall s':>7} {'vs ESLint':>9} {'CPU s':>7} {'vs ESLint':>9}")
    for key, label in rows:
        print(f"{label:<48} {wall[key]:>7.3f} {wall[key] / wall['eslint']:>9.2f} {cpu[key]:>7.3f} "
              f"{cpu[key] / cpu['eslint']:>9.2f}")
    print(f"review_bundle vs the peer configuration: {cpu['review'] / cpu['peer']:.2f}x CPU, "
          f"{wall['review'] / wall['peer']:.2f}x wall")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
