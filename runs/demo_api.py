"""A tiny local API for the demo: a connector's recorded samples served over plain HTTP on loopback.

`manage.py serve_demo_api` runs it for `make run` (the demo's beta then runs for real,
LIVE_RUN_HOST_MAP sending its declared host here); tests run it on a free port. It answers
a GET with the sample recorded for that URL, and only with the sample account's
credentials (HTTP Basic for username and password, else the API key anywhere in the
request): anything else gets 401, so a wrong account fails as it would on the real API.
"""

from __future__ import annotations

import base64
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


def sample_routes(manifest: dict, files: dict[str, bytes]) -> dict[tuple[str, str], tuple[int, bytes]]:
    """(method, path?query) -> (status, body) of every sample with a full URL."""
    routes = {}
    for sample in (manifest.get("samples") or {}).get("responses") or []:
        if not sample.get("url"):
            continue
        parts = urlsplit(sample["url"])
        key = (str(sample.get("method") or "GET").upper(), parts.path + (f"?{parts.query}" if parts.query else ""))
        body = files.get(sample["body_file"], b"") if "body_file" in sample else str(sample.get("body") or "").encode()
        routes.setdefault(key, (int(sample.get("status") or 200), body))
    return routes


def credentials_ok(manifest: dict, headers, path: str) -> bool:
    account = (manifest.get("samples") or {}).get("account") or {}
    if "username" in account and "password" in account:
        expected = base64.b64encode(f"{account['username']}:{account['password']}".encode()).decode()
        return headers.get("Authorization", "") == f"Basic {expected}"
    secrets = [str(v) for v in account.values() if v]
    seen = path + " " + " ".join(headers.values())
    return all(secret in seen for secret in secrets)


class DemoApi:
    def __init__(self, manifest: dict, files: dict[str, bytes], port: int = 0):
        routes = sample_routes(manifest, files)
        self.requests = 0
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                api.requests += 1
                if not credentials_ok(manifest, self.headers, self.path):
                    status, body = 401, b'{"error": "bad credentials"}'
                else:
                    status, body = routes.get(("GET", self.path), (404, b"not recorded"))
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.address = f"127.0.0.1:{self.port}"

    def start(self) -> DemoApi:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
