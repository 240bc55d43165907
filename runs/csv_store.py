"""Where the CSVs of live runs are kept: the storage "live_runs" of settings.STORAGES.

A run is performed by the worker machine that took its task, and its CSV is downloaded
through the web machine the user reaches: a folder of one machine would answer "gone" on
the others. A run stores the name the storage gave its file, never a local path.
"""

from __future__ import annotations

from django.core.files import File
from django.core.files.storage import storages


def _storage():
    return storages["live_runs"]


def save(run_pk: int, local_path) -> str:
    """Copy the finished CSV at local_path into the storage; the name to keep on the run."""
    with open(local_path, "rb") as source:
        return _storage().save(f"run-{run_pk}.csv", File(source))


def open_csv(name: str, mode: str = "rb"):
    """The stored CSV, open (FileNotFoundError when it is gone)."""
    return _storage().open(name, mode)


def delete(name: str) -> None:
    """Delete a stored CSV; one already gone is not an error (Django's storages, and S3's,
    delete a missing name silently: no exists() round trip first)."""
    _storage().delete(name)
