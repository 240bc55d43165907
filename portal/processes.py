"""Stopping child processes the one way they all want: SIGTERM, a wait, then a kill."""

from __future__ import annotations

import signal
import subprocess


def stop_processes(*processes: subprocess.Popen, timeout: float = 30) -> None:
    """SIGTERM every process still running (each stops its own workers), wait up to
    `timeout` seconds for each, kill the ones that did not stop. The main pid only:
    signalling qcluster's whole process group makes it hang."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
