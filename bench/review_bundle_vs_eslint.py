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


def ensure_eslint() -> None:
    if ESLINT.exists():
        return
    if shutil.which("npm") is None:
        sys.exit("npm is needed for this bench (apt-get install npm)")
    ESLINT_DIR.mkdir(parents=True, exist_ok=True)
    (ESLINT_DIR / "package.json").write_text('{"name": "bench-eslint", "private": true}\n')
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", "eslint@9"], cwd=ESLINT_DIR, check=True)


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(args, cwd, env=None) -> float:
    started = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or ENV)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"{args[0]} failed: {done.stderr.decode()[:500]}")
    return elapsed


def main(rounds: int) -> None:
    ensure_eslint()
    (ESLINT_DIR / "eslint.config.js").write_text(CONFIG)
    files = [str(BUNDLE / "authentication.js"), str(BUNDLE / "processdata.js")]
    eslint = [str(ESLINT), "--config", str(ESLINT_DIR / "eslint.config.js"), "--no-config-lookup", *files]
    review = [sys.executable, "manage.py", "review_bundle", str(BUNDLE)]
    with_django = [sys.executable, "-m", "django", "review_bundle", str(BUNDLE)]
    django_env = {**ENV, "DJANGO_SETTINGS_MODULE": "portal.settings", "PYTHONPATH": str(ROOT)}
    timed(eslint, ROOT), timed(review, ROOT), timed(with_django, ROOT, django_env)  # warm the caches
    times = {"eslint": [], "review": [], "django": []}
    for _ in range(rounds):
        times["eslint"].append(timed(eslint, ROOT))
        times["review"].append(timed(review, ROOT))
        times["django"].append(timed(with_django, ROOT, django_env))
    e, r, d = (statistics.median(times[k]) for k in ("eslint", "review", "django"))
    print(f"{'process (median of ' + str(rounds) + ')':<44} {'seconds':>8} {'vs ESLint':>10}")
    print(f"{'eslint 9 (recommended), the two scripts':<44} {e:>8.3f} {1:>10.2f}")
    print(f"{'manage.py review_bundle demo/bundles/sales-crm':<44} {r:>8.3f} {r / e:>10.2f}")
    print(f"{'  the same with Django start-up (as before)':<44} {d:>8.3f} {d / e:>10.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
