"""A hung test ends with every thread's stack, whatever it hangs in; the run goes on.

pytest-timeout (pytest.ini) fails a slow test from a SIGALRM handler, which runs only when
the main thread gets back to Python: a test stuck in C (a lock that ignores signals, a
cleanup that joins a thread after the one alarm has fired) hangs on, and with
pytest-xdist the run then stalls without a word of which test. Two CI runs were killed
that way at their time limit. faulthandler's watchdog is a C thread that needs no
interpreter: past HANG_SECONDS it writes the stacks of every thread and ends the process;
xdist reports the worker's crash with the test it was running, and replaces it.

Each process writes its stacks to a file of its own in HANG_DUMPS (a folder; one under the
system's temporary folder unless set): a worker's stderr is a capture file while a test
runs, and would be lost with the process. SIGUSR1 writes them too without ending anything:
.ci/with_deadline sends it before it kills a run that hangs between tests, where no
watchdog is armed. The controller prints every file that holds a dump at the end.
"""

from __future__ import annotations

import faulthandler
import os
import shutil
import signal
import tempfile
from pathlib import Path

import pytest

# Past pytest-timeout's 300 s (pytest.ini), so a test that it can fail is failed by it;
# TEST_HANG_SECONDS sets another (tests/portal/test_hang_watch.py).
HANG_SECONDS = float(os.environ.get("TEST_HANG_SECONDS", "420"))

_dump_file = None
_made_folder = False  # ours to remove at the end when nothing hung


def _is_worker(config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config):
    global _dump_file, _made_folder
    if not os.environ.get("HANG_DUMPS"):
        # Set before pytest-xdist starts the workers, which inherit it.
        os.environ["HANG_DUMPS"] = tempfile.mkdtemp(prefix="portal-test-hangs-")
        _made_folder = True
    folder = Path(os.environ["HANG_DUMPS"])
    folder.mkdir(parents=True, exist_ok=True)
    name = config.workerinput["workerid"] if _is_worker(config) else "controller"
    _dump_file = open(folder / f"{name}-{os.getpid()}.txt", "w", buffering=1)  # noqa: SIM115 (lives with the process)
    faulthandler.register(signal.SIGUSR1, file=_dump_file, all_threads=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True, file=_dump_file)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


def _dumps() -> dict[str, str]:
    found = {}
    for dump in sorted(Path(os.environ["HANG_DUMPS"]).glob("*.txt")):
        text = dump.read_text(errors="replace")
        if text.strip():
            found[dump.stem] = text
    return found


def pytest_terminal_summary(terminalreporter):
    if _is_worker(terminalreporter.config):
        return
    for name, text in _dumps().items():
        terminalreporter.section(f"hung: the stacks {name} wrote", sep="!")
        terminalreporter.write(text)


def pytest_unconfigure(config):
    faulthandler.unregister(signal.SIGUSR1)
    if _dump_file is not None:
        _dump_file.close()
    if _made_folder and not _is_worker(config) and not _dumps():
        shutil.rmtree(os.environ["HANG_DUMPS"], ignore_errors=True)
