"""The production setup: gunicorn with production settings, static files compressed and
cached for a year (WhiteNoise's manifest storage)."""

import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from portal.processes import stop_processes

ROOT = Path(settings.BASE_DIR)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url, **headers):
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", **headers})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def test_it_loads_the_gunicorn_settings_and_binds_where_told(monkeypatch):
    monkeypatch.setenv("BIND", "0.0.0.0:9000")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert conf["bind"] == "0.0.0.0:9000" and conf["workers"] == 3 and conf["preload_app"] is True


def test_it_refuses_to_serve_production_with_debug_on(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="DEBUG is on"):
        call_command("serve_production", "--no-worker")


def test_it_serves_the_portal_with_gunicorn_and_compressed_long_cached_static_in_one_command(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "false",
        "SECRET_KEY": "test-" + "x" * 50,
        "FIELD_ENCRYPTION_KEYS": "b2ZmbGluZS10ZXN0LWtleS1vZmZsaW5lLXRlc3QtMDA=",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "GUNICORN_ACCESS_LOG": "",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve_production", "--no-worker", "--migrate", "--workers", "1",
         "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                status, headers, _body = _get(base + "/accounts/login/")
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(server.stdout.read().decode()[-3000:])
                time.sleep(0.25)
        else:
            pytest.fail("gunicorn did not answer within 30 s")
        assert status == 200 and "gunicorn" in headers.get("Server", "")
        assert "Content-Security-Policy" in headers and "Strict-Transport-Security" in headers
        manifest = (tmp_path / "static" / "staticfiles.json").read_text()
        hashed = next(name for name in __import__("json").loads(manifest)["paths"].values()
                      if name.startswith("css/portal."))
        status, headers, body = _get(f"{base}/static/{hashed}", **{"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "max-age=315360000" in headers["Cache-Control"] and "immutable" in headers["Cache-Control"]
    finally:
        stop_processes(server)
    assert server.returncode == 0


def test_it_keeps_the_bench_baseline_page_off_unless_the_bench_turns_it_on(client, alice):
    client.force_login(alice)
    assert client.get("/bench/baseline/").status_code == 404


def test_it_renders_the_bench_baseline_page_without_the_database(db, rf, django_assert_num_queries):
    from portal.views import bench_baseline

    with django_assert_num_queries(0):
        response = bench_baseline(rf.get("/bench/baseline/"))
    assert response.content.decode().count("<tr><td>") == 50
