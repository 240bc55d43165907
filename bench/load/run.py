"""The pages under load at production scale: `make bench-load` (or python bench/load/run.py).

Grows a PostgreSQL database of its own to N connectors (manage.py grow_data), starts
gunicorn with the production settings on PostgreSQL and Redis, drives every page with
wrk (Debian's `wrk`) at 20 concurrent connections, measures the bare baseline page
(/bench/baseline/: a 50-row template, no database) the same way at the start and at the
end of the same run, and prints p50/p90/p99 per page and the p90 ratio to the baseline.
Target: every page's p90 within 3x the baseline's p90 (5x with --cold).

wrk shares the machine with gunicorn and PostgreSQL; the CPU it used is printed per
page, so it can be read against the machine's cores.

--cold renders the pages' cached parts on every request (CACHED_PAGE_PARTS=false): the
cost of the first view after a change, where the default run measures the views between.

Needs: PostgreSQL and Redis (BENCH_DATABASE_URL, BENCH_REDIS_URL; defaults below), `wrk`
(apt-get install wrk). Options: --connectors N (10000), --duration S per page (15),
--connections C (20), --threads T (2), --workers W (gunicorn, 2), --cold.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from portal.processes import stop_processes  # noqa: E402  (the project's own, once ROOT is on the path)

PYTHON = sys.executable
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench11")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
# Issue 19's targets: warm, every page's p90 within 3x the bare page's; cold (--cold, every
# cached part rendered), within 5x.
TARGET_RATIO, COLD_TARGET_RATIO = 3.0, 5.0


def main() -> None:
    args = _arguments()
    _require_tools()
    env = _environment(args)
    _create_database()
    print(f"Database {DATABASE_URL}, Redis {REDIS_URL}; growing to {args.connectors:,} connectors...", flush=True)
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "grow_data", "--connectors", str(args.connectors), f"--password={env['BENCH_PASSWORD']}")
    _vacuum()
    _manage(env, "collectstatic", "--noinput", "-v0")
    ids = _ids(env)
    port = _free_port()
    server = subprocess.Popen(
        [PYTHON, "manage.py", "serve_production", "--no-worker", "--no-collectstatic",
         "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base, server)
        developer = _sign_in(base, "dev-acme", env["BENCH_PASSWORD"])
        engineer = _sign_in(base, "load-engineer", env["BENCH_PASSWORD"])
        pages = [
            ("Develop (`/develop/`)", "/develop/", developer),
            ("Data Center (`/data-center/`)", "/data-center/", developer),
            ("Data Center search (`?q=billing`)", "/data-center/?q=billing", developer),
            ("admin review queue", "/admin/connectors/submission/", engineer),
            ("status window", f"/submissions/{ids['status']}/", developer),
            ("code viewer", f"/submissions/{ids['status']}/code/", developer),
            ("public connector page", f"/data-center/{ids['public']}/", developer),
        ]
        for _title, path, cookie in pages:  # every page answers 200 before it is timed
            _check(base + path, cookie)
        results = [("bare Django page (start)", _wrk(base + "/bench/baseline/", developer, args))]
        results += [(title, _wrk(base + path, cookie, args)) for title, path, cookie in pages]
        results.append(("bare Django page (end)", _wrk(base + "/bench/baseline/", developer, args)))
    finally:
        stop_processes(server)
    _report(results, args)


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connectors", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--cold", action="store_true",
                        help="render the pages' cached parts on every request (CACHED_PAGE_PARTS=false): "
                             "what the first view after a change costs")
    return parser.parse_args()


def _require_tools() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: `apt-get install wrk` (Debian), then run this again.")
    try:
        import psycopg  # noqa: F401
        import redis
    except ImportError as error:
        sys.exit(f"{error}: run `make setup-dev` first.")
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except Exception as error:  # noqa: BLE001 - any failure means the same: no Redis here
        sys.exit(f"Redis at {REDIS_URL} does not answer ({error}); start it or set BENCH_REDIS_URL.")


def _environment(args) -> dict:
    from cryptography.fernet import Fernet

    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env.update({
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "REVIEW_LATENCY_SECONDS": "0",
        "GUNICORN_ACCESS_LOG": "",
        "BENCH_BASELINE_PAGE": "true",
        "BENCH_PASSWORD": secrets.token_urlsafe(16),
        "STATIC_ROOT": str(ROOT / "staticfiles"),
        "CACHED_PAGE_PARTS": "false" if args.cold else "true",
    })
    return env


def _create_database() -> None:
    import psycopg

    parts = urllib.parse.urlparse(DATABASE_URL)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        sys.exit(f"PostgreSQL at {admin_url} does not answer ({error}); start it or set BENCH_DATABASE_URL.")


def _vacuum() -> None:
    # Production runs autovacuum; this machine's PostgreSQL has it off (for the tests'
    # speed), so without this the visibility map stays empty, counts read the whole
    # table instead of an index, and the bench times a database no production one is.
    import psycopg

    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def _manage(env: dict, *command: str) -> str:
    done = subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"manage.py {' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    if done.stdout.strip():
        print(done.stdout.strip(), flush=True)
    return done.stdout


_IDS = """
import json
from connectors.models import Submission
acme = Submission.objects.filter(connector__company__name="Acme")
in_review = acme.filter(state="in_review").exclude(connector__name="Load template")
status = in_review.filter(findings__isnull=False).first() or in_review.first()
public = Submission.objects.filter(listed=True).order_by("pk").first()
print(json.dumps({"status": status.pk, "public": public.pk}))
"""


def _ids(env: dict) -> dict:
    done = subprocess.run([PYTHON, "manage.py", "shell", "-c", _IDS], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"could not pick the pages' objects:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Behind the proxy production has: HTTPS as far as Django can tell, so no redirect.
_HEADERS = {"X-Forwarded-Proto": "https"}


def _request(url: str, cookie: str = "", data: dict | None = None, referer: str = ""):
    headers = dict(_HEADERS)
    if cookie:
        headers["Cookie"] = cookie
    if referer:
        headers["Referer"] = referer
        headers["Origin"] = "https://" + urllib.parse.urlparse(url).netloc
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        return opener.open(urllib.request.Request(url, data=body, headers=headers), timeout=30)
    except urllib.error.HTTPError as error:  # 3xx land here with _NoRedirect
        return error


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _wait_for(base: str, server: subprocess.Popen) -> None:
    for _ in range(240):
        if server.poll() is not None:
            sys.exit("gunicorn stopped:\n" + server.stderr.read().decode()[-3000:])
        try:
            _request(base + "/accounts/login/")
            return
        except OSError:
            time.sleep(0.25)
    sys.exit("gunicorn did not answer within 60 s")


def _cookies(response) -> dict:
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def _sign_in(base: str, username: str, password: str) -> str:
    page = _request(base + "/accounts/login/")
    csrf = _cookies(page)["csrftoken"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode()).group(1)
    response = _request(base + "/accounts/login/", cookie=f"csrftoken={csrf}",
                        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
                        referer=base + "/accounts/login/")
    session = _cookies(response).get("sessionid")
    if response.status != 302 or not session:
        sys.exit(f"could not sign in as {username} (HTTP {response.status})")
    return f"sessionid={session}; csrftoken={csrf}"


def _check(url: str, cookie: str) -> None:
    response = _request(url, cookie)
    if response.status != 200:
        sys.exit(f"{url} answered {response.status}, not 200; nothing was timed")


_LATENCY = re.compile(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _wrk(url: str, cookie: str, args) -> dict:
    # wrk gives up on a request after 2 s by default and leaves it out of the latencies: a
    # page slower than that read as "0 ms, within target". 30 s, and timeouts are counted.
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", "--latency", "--timeout", "30s",
               "-H", f"Cookie: {cookie}", "-H", "X-Forwarded-Proto: https"]
    subprocess.run([*command, "-d3s", url], capture_output=True)  # warm the workers and caches
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    out = subprocess.run([*command, f"-d{args.duration}s", url], capture_output=True, text=True).stdout
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    latency = {int(p): float(v) * _UNITS[unit] for p, v, unit in _LATENCY.findall(out)}
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", out)
    if not latency or not rate:
        sys.exit(f"could not read wrk's output for {url}:\n{out}")
    return {"p50": latency[50], "p90": latency[90], "p99": latency[99], "rps": float(rate.group(1)),
            "errors": (int(errors.group(1)) if errors else 0) + (int(timeouts.group(1)) if timeouts else 0),
            "wrk_cpu": cpu / wall}


def _report(results: list, args) -> None:
    start, end = results[0][1], results[-1][1]
    baseline = (start["p90"] + end["p90"]) / 2
    print(f"\n{args.connections} connections, {args.threads} wrk threads, {args.duration} s per page, "
          f"gunicorn {args.workers} workers, {os.cpu_count()} cores; baseline p90 = mean of start and end "
          f"= {baseline:.1f} ms")
    print("Cached page parts OFF: every request renders them, as the first view after a change does.\n"
          if args.cold else "Cached page parts on: nothing changes during the run, as between two changes.\n")
    target = COLD_TARGET_RATIO if args.cold else TARGET_RATIO
    print(f"| page | p50 | p90 | p99 | req/s | p90 vs bare | within {target:g}x | wrk CPU |")
    print("|---|---|---|---|---|---|---|---|")
    failed = []
    for title, r in results:
        ratio = r["p90"] / baseline
        ok = ratio <= target and not r["errors"]
        if not ok:
            failed.append(title)
        errors = f" ({r['errors']} non-2xx or timed out)" if r["errors"] else ""
        print(f"| {title} | {r['p50']:.0f} ms | {r['p90']:.0f} ms | {r['p99']:.0f} ms | {r['rps']:.0f}{errors} "
              f"| {ratio:.1f}x | {'yes' if ok else 'NO'} | {r['wrk_cpu']:.2f} cores |")
    print()
    print(f"Target met: every page's p90 within {target:g}x the bare page's." if not failed
          else f"Target missed by: {', '.join(failed)}")


if __name__ == "__main__":
    main()
