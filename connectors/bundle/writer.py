"""Bundle -> zip bytes, folder, or content hash.

The zip is deterministic (sorted entries, fixed timestamps and permissions) so that
exporting the same connector twice gives the same bytes; bundle_hash does not depend
on zip metadata at all, so it identifies content however the bundle travelled.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

from .errors import BundleError
from .manifest import path_problem
from .types import MANIFEST, Bundle

_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold
_FILE_MODE = 0o100644  # regular file, rw-r--r--
_UNIX = 3


def manifest_bytes(bundle: Bundle) -> bytes:
    """connector.json as written to zips and folders: indent 2, key order kept, final newline."""
    return (json.dumps(bundle.manifest, indent=2, sort_keys=False, ensure_ascii=False) + "\n").encode("utf-8")


def _entries(bundle: Bundle) -> list[tuple[str, bytes]]:
    if MANIFEST in bundle.files:
        raise BundleError("must not be in Bundle.files; the manifest is Bundle.manifest", MANIFEST)
    for path in bundle.files:
        problem = path_problem(path)
        if problem:
            raise BundleError(problem, path)
    return sorted([(MANIFEST, manifest_bytes(bundle)), *bundle.files.items()])


def write_bundle_zip(bundle: Bundle) -> bytes:
    """The bundle as a zip; the same content always gives the same bytes."""
    return zip_of(dict(_entries(bundle)))


def zip_of(files: dict[str, bytes]) -> bytes:
    """A deterministic zip of path -> content (sorted, fixed dates and modes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, data in sorted(files.items()):
            info = zipfile.ZipInfo(path, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = _UNIX
            info.external_attr = _FILE_MODE << 16
            archive.writestr(info, bytes(data), compresslevel=6)
    return buffer.getvalue()


def write_bundle_folder(bundle: Bundle, path: str | os.PathLike) -> None:
    """Write the bundle into the folder `path`, which must not exist or be empty.

    An existing non-empty folder is refused (FileExistsError): files left over in it
    would silently become part of the bundle when it is read back.
    """
    root = Path(path)
    entries = _entries(bundle)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise FileExistsError(f"{root} exists and is not an empty folder")
    root.mkdir(parents=True, exist_ok=True)
    for rel, data in entries:
        target = root.joinpath(*rel.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as handle:  # "x": never write through something already there
            handle.write(data)


def bundle_hash(bundle: Bundle) -> str:
    """sha256 hex of the bundle's content: manifest, then every file in path order.

    Each piece is length-prefixed, so no two different bundles share a byte stream.
    """
    import hashlib  # here, not at the top: review_bundle reads bundles and never hashes them

    digest = hashlib.sha256()

    def add(piece: bytes) -> None:
        digest.update(len(piece).to_bytes(8, "big"))
        digest.update(piece)

    add(json.dumps(bundle.manifest, sort_keys=True, separators=(",", ":")).encode("utf-8"))
    for path in sorted(bundle.files):
        add(path.encode("utf-8"))
        add(bytes(bundle.files[path]))
    return digest.hexdigest()
