"""A folder chosen in the browser (<input webkitdirectory>) -> the files of a bundle.

Django keeps only the last part of an uploaded file's name, so the page sends each
file's path beside it (static/js/portal.js); connectors/forms.py pairs them into an
UploadedFolder. The paths come from the client and are as untrusted as a zip's entry
names: the same rules and limits apply (limits.py, manifest.path_problem), and the
result goes to the same validation and Dev Studio conversion as a zip's files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Sequence

from .errors import BundleError
from .limits import MAX_ENTRIES, byte_limit, is_junk, size_error, too_many_files_message, unique_entries
from .manifest import path_problem
from .types import MAX_BUNDLE_BYTES, MAX_FILES


@dataclass(frozen=True)
class UploadedFolder:
    """(relative path, binary file) pairs, in the order the browser sent them."""

    files: Sequence[tuple[str, IO[bytes]]]


def read_uploaded_folder(folder: UploadedFolder) -> dict[str, bytes]:
    if len(folder.files) > MAX_ENTRIES:
        raise BundleError(too_many_files_message())
    kept: list[tuple[tuple[str, ...], IO[bytes]]] = []
    for path, handle in folder.files:
        parts = _checked_parts(path)
        if parts is None:
            continue
        kept.append((parts, handle))
        if len(kept) > MAX_FILES:
            raise BundleError(too_many_files_message())
    # The script strips the chosen folder's name; a browser that did not is forgiven,
    # as a zip with one top folder is.
    tops = {parts[0] for parts, _ in kept}
    if len(tops) == 1 and all(len(parts) > 1 for parts, _ in kept):
        kept = [(parts[1:], handle) for parts, handle in kept]
    entries = unique_entries(
        kept,
        twice="was sent twice in the folder upload; upload the folder again",
        clash="is both a file and a folder in the upload; rename one of them",
    )
    _check_declared_sizes(entries)
    files: dict[str, bytes] = {}
    total = 0
    for name, handle in entries:
        data = _read(handle, name, MAX_BUNDLE_BYTES - total)
        total += len(data)
        files[name] = data
    return files


def _checked_parts(path: str) -> tuple[str, ...] | None:
    """The parts of a safe path, None for junk (__MACOSX/, .DS_Store); BundleError otherwise."""
    if isinstance(path, str) and "\x00" in path:
        raise BundleError("this path contains a NUL character; rename the file", repr(path))
    problem = path_problem(path)
    if problem:
        raise BundleError(problem, path if path else "(a file without a path)")
    parts = tuple(path.split("/"))
    if is_junk(parts):
        return None
    return parts


def _check_declared_sizes(entries: list[tuple[str, IO[bytes]]]) -> None:
    """Refuse on the sizes Django recorded before reading anything (they are real: the
    bytes have arrived); _read still counts, for files that carry no size."""
    declared = 0
    for name, handle in entries:
        size = getattr(handle, "size", None)
        if not isinstance(size, int):
            continue
        if name.endswith(".js") and size > byte_limit(name, MAX_BUNDLE_BYTES):
            raise size_error(name, script=True)
        declared += size
        if declared > MAX_BUNDLE_BYTES:
            raise size_error(name, script=False)


def _read(handle: IO[bytes], name: str, room: int) -> bytes:
    limit = byte_limit(name, room)
    try:
        handle.seek(0)
        data = handle.read(limit + 1)
    except (OSError, ValueError) as exc:
        raise BundleError(f"cannot be read ({exc}); upload the folder again", name) from None
    if len(data) > limit:
        raise size_error(name, script=limit < room)
    return data
