"""The limits every source of a bundle obeys (a zip, a folder on disk, a folder uploaded
from the browser), and the messages that say which one was passed, in one place so the
three readers cannot drift apart."""

from __future__ import annotations

from .errors import BundleError
from .types import MAX_BUNDLE_BYTES, MAX_FILES, MAX_SCRIPT_BYTES

# Junk entries (__MACOSX/, .DS_Store) are skipped, not counted, but there cannot be
# unboundedly many. portal/settings.py lets this many files through a web upload.
MAX_ENTRIES = 4 * MAX_FILES
MIB = 1024 * 1024


def byte_limit(name: str, room: int) -> int:
    """How many bytes `name` may hold: what the bundle has left, and no more than a script may for .js."""
    return min(room, MAX_SCRIPT_BYTES) if name.endswith(".js") else room


def size_error(name: str, script: bool) -> BundleError:
    if script:
        return BundleError(f"is larger than {MAX_SCRIPT_BYTES // MIB} MiB, the limit for a script; "
                           "split it or remove bundled libraries", name)
    return BundleError(f"the bundle unpacks to more than {MAX_BUNDLE_BYTES // MIB} MiB "
                       "(passed while reading this file); remove large samples or images", name)


def too_many_files_message() -> str:
    return f"the bundle has more than {MAX_FILES} files; remove the ones the connector does not need"


def is_junk(parts: tuple[str, ...]) -> bool:
    """Files an OS leaves in a folder or zip (__MACOSX/, .DS_Store): skipped, never read."""
    return not parts or parts[0] == "__MACOSX" or parts[-1] == ".DS_Store"


def unique_entries(kept: list, twice: str, clash: str) -> list:
    """(path parts, handle) -> (name, handle), refusing a name seen twice (`twice`) or a
    name that is both a file and a folder (`clash`): the zip and the uploaded folder alike."""
    entries = []
    names: set[str] = set()
    folders: set[str] = set()
    for parts, handle in kept:
        name = "/".join(parts)
        if name in names:
            raise BundleError(twice, name)
        names.add(name)
        folders.update("/".join(parts[:i]) for i in range(1, len(parts)))
        entries.append((name, handle))
    clashes = sorted(names & folders)
    if clashes:
        raise BundleError(clash, clashes[0])
    return entries
