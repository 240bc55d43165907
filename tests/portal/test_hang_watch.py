"""A test stuck where pytest-timeout's alarm cannot reach ends the run's wait anyway,
with the test named and the stacks of its threads (tests/hang_watch.py)."""

import os
import subprocess
import sys
import textwrap

from django.conf import settings

# Stuck in C: a second writer waits for the lock of a buffered file whose first writer is
# blocked on a full pipe. The wait ignores signals, so pytest-timeout's SIGALRM never runs.
STUCK = textwrap.dedent("""
    import os, threading, time
    import pytest

    @pytest.mark.timeout(2)
    def test_stuck_in_c():
        _, write_end = os.pipe()
        pipe = os.fdopen(write_end, "wb", buffering=1 << 20)
        threading.Thread(target=lambda: (pipe.write(b"x" * (1 << 21)), pipe.flush()), daemon=True).start()
        time.sleep(0.3)
        pipe.write(b"y")
        pipe.flush()

    def test_the_next_one_still_runs():
        pass
""")


def test_a_test_stuck_in_c_ends_with_its_stacks_and_the_run_goes_on(tmp_path):
    (tmp_path / "test_stuck.py").write_text(STUCK)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTEST_XDIST_WORKER")}
    env.update(TEST_HANG_SECONDS="4", HANG_DUMPS=str(tmp_path / "dumps"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(settings.BASE_DIR), env.get("PYTHONPATH")])))
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.hang_watch", "-p", "no:django", "-p", "no:cacheprovider",
         "-n", "1", "--rootdir", str(tmp_path), "-c", str(tmp_path / "pytest.ini"), str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "worker 'gw0' crashed while running 'test_stuck.py::test_stuck_in_c'" in out, out
    assert "1 passed" in out, out  # the next test ran, on the worker that replaced it
    assert "hung: the stacks gw0" in out and "in test_stuck_in_c" in out, out
