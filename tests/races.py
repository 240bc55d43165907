"""Calls started at one moment on their own connections, for the tests of row locks.

Only PostgreSQL gives two connections that hold row locks against each other (CI's second
pass sets DATABASE_URL); on SQLite the writes are serialised, and the tests that use this
skip there (the `needs_postgres` fixture of tests/conftest.py).
"""

import threading

from django.db import connections


def race(calls, timeout: float = 60):
    """Run each call in its own thread, released together; each outcome is the call's
    return value or the exception it raised (the outcome is what the tests assert on)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - recorded, not raised
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes
