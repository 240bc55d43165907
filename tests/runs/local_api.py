"""A local plain-HTTP API for tests: bound to 127.0.0.1 on a free port (port 0), routes as functions.

A route takes the request (method, path, query, headers, body) and returns
(status, headers, body) or a callable that writes to the handler itself (slow drips).
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class LocalApi:
    def __init__(self, routes: dict):
        self.routes = routes
        self.seen: list[dict] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _serve(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = {"method": self.command, "path": parts.path, "query": parse_qs(parts.query),
                           "headers": {k.lower(): v for k, v in self.headers.items()},
                           "body": self.rfile.read(length).decode() if length else ""}
                api.seen.append(request)
                route = api.routes.get(parts.path)
                if route is None:
                    answer = (404, {}, "not found")
                else:
                    answer = route(request)
                if callable(answer):
                    answer(self)
                    return
                status, headers, body = answer
                data = body if isinstance(body, bytes) else body.encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.address = f"127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
