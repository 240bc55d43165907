"""A live run's exchange, in the sandbox worker process: requests out under the policy, rows to CSV.

review/engine/live_bridge.py builds it from the job's `live` dict (runs.services.live_job
writes it) and hands it each message of the script: `request` (performed by the run's
EgressSession) and `rows` (appended to the run's rows file). No Django here: the worker
process has none. Progress (requests, rows, bytes) goes to a small JSON file the task
reads while it waits.
"""

from __future__ import annotations

import csv
import json
import os
import time

from runs.egress import loopback_guard
from runs.egress.client import EgressSession
from runs.egress.policy import EgressPolicy, Refused

MAX_REFUSALS_KEPT = 50
PROGRESS_EVERY = 0.25  # seconds between writes of the progress file
ROW_BATCH_CHARS = 2 * 1024 * 1024  # what live_network.js sends at most in one batch, with room


class LiveExchange:
    def __init__(self, live: dict):
        if os.environ.get("LIVE_RUN_LOOPBACK_ONLY"):
            loopback_guard.install()
        self.policy = EgressPolicy.from_dict(live["policy"])
        self.session = EgressSession(self.policy)
        self.max_body_chars = max(self.policy.max_response_bytes, ROW_BATCH_CHARS)
        self.rows_file = open(live["rows_path"], "a", newline="", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self.writer = csv.writer(self.rows_file)
        self.progress_path = live.get("progress_path")
        self.rows = 0
        self.max_csv_bytes = int(live.get("max_csv_bytes") or 0)
        self.csv_over_limit = False
        self.refusals: list[str] = []
        self.written_at = 0.0

    def handle(self, header: dict, body: str) -> tuple[dict, str]:
        if header.get("kind") == "rows":
            if self.csv_over_limit:
                return {"status": 0, "headers": {}, "error": self._csv_limit()}, ""
            self.writer.writerows(json.loads(body))
            self.rows += int(header.get("count") or 0)
            self._progress()
            if self.max_csv_bytes and self.rows_file.tell() > self.max_csv_bytes:
                self.csv_over_limit = True  # the rows so far stay; the script is stopped
                return {"status": 0, "headers": {}, "error": self._csv_limit()}, ""
            return {"status": 0, "headers": {}, "error": None}, ""
        if header.get("kind") != "request":
            return {"status": 0, "headers": {}, "error": "unknown message"}, ""
        try:
            response = self.session.fetch(str(header.get("method") or "GET"), str(header.get("url") or ""),
                                          header.get("headers") or {}, body if body else None)
        except Refused as refused:
            if len(self.refusals) < MAX_REFUSALS_KEPT:
                self.refusals.append(str(refused))
            self._progress()
            return {"status": 0, "headers": {}, "error": str(refused)}, ""
        self._progress()
        return {"status": response.status, "headers": response.headers, "error": None}, response.body

    def _csv_limit(self) -> str:
        return f"the run's result passed its limit of {self.max_csv_bytes} bytes of CSV"

    def _progress(self, force: bool = False) -> None:
        now = time.monotonic()
        if not self.progress_path or (not force and now - self.written_at < PROGRESS_EVERY):
            return
        self.written_at = now
        temporary = self.progress_path + ".tmp"
        with open(temporary, "w", encoding="utf-8") as out:
            json.dump(self.report(), out)
        os.replace(temporary, self.progress_path)

    def report(self) -> dict:
        return {"requests": self.session.requests, "bytes": self.session.bytes, "rows": self.rows,
                "refusals": self.refusals, "csv_over_limit": self.csv_over_limit}

    def close(self) -> dict:
        self.rows_file.close()
        self._progress(force=True)
        return self.report()
