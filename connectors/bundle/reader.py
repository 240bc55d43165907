"""read_bundle: a folder, a zip on disk, zip bytes or an uploaded zip -> Bundle.

Everything a bundle holds comes from people we do not trust, so the reader refuses
rather than repairs: paths that could leave the bundle, links, names that are not
UTF-8, duplicates, and anything over the limits of bundle-format.md. Sizes are
counted as bytes are actually decompressed, because a zip's headers can lie. Either a
whole valid Bundle comes back or a BundleError saying what and where.
"""

from __future__ import annotations

import io
import json
import os
import stat
import zipfile
from pathlib import Path
from typing import IO, Any, Iterator

from .errors import BundleError
from .folder_upload import UploadedFolder, read_uploaded_folder
from .limits import MAX_ENTRIES, MIB, byte_limit, is_junk, size_error, too_many_files_message, unique_entries
from .manifest import path_problem, validate_manifest
from .types import DEFAULT_SCRIPTS, MANIFEST, MAX_BUNDLE_BYTES, MAX_FILES, MAX_SCRIPT_BYTES, Bundle
from .zip_directory import declared_entry_count

# A zip is compressed, so it is never much bigger than what it unpacks to; anything
# larger than this is refused before its directory is even parsed.
MAX_ZIP_BYTES = 2 * MAX_BUNDLE_BYTES
MAX_ZIP_ENTRIES = MAX_ENTRIES
_CHUNK = 64 * 1024
_UTF8_NAME_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1


def read_bundle(source: Any) -> Bundle:
    """Read and validate a bundle; raise BundleError on the first problem.

    `source` is a folder or .zip path (str or Path), the bytes of a zip, a binary
    file-like object holding a zip (a Django UploadedFile), or an UploadedFolder.
    """
    return build_bundle(read_files(source))


def read_files(source: Any) -> dict[str, bytes]:
    """Every file of a folder or zip (top folder stripped, junk skipped), checked
    against the limits but not yet read as a bundle: the Dev Studio importer
    (devstudio.py) converts these before build_bundle validates them."""
    if isinstance(source, UploadedFolder):
        return read_uploaded_folder(source)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _read_zip_stream(io.BytesIO(bytes(source)), None)
    if isinstance(source, (str, os.PathLike)):
        return _read_path(Path(source))
    if hasattr(source, "read"):
        name = getattr(source, "name", None)
        label = os.path.basename(name) if isinstance(name, str) and name else None
        return _read_zip_stream(_seekable(source, label), label)
    raise TypeError(f"read_bundle() takes a path, bytes or a file, not {type(source).__name__}")


# -- sources ----------------------------------------------------------------------


def _read_path(path: Path) -> dict[str, bytes]:
    label = str(path)
    try:
        st = path.lstat()
    except FileNotFoundError:
        raise BundleError("no such file or folder; give the path of a bundle folder or .zip", label) from None
    except OSError as exc:
        raise BundleError(f"cannot be opened ({exc.strerror})", label) from None
    if stat.S_ISLNK(st.st_mode):
        try:  # the argument itself may be a link; links inside the bundle may not
            st = path.stat()
        except OSError:
            raise BundleError("is a link to nothing; give the path of a bundle folder or .zip", label) from None
    if stat.S_ISDIR(st.st_mode):
        try:
            return _read_folder(path)
        except OSError as exc:  # unreadable file or folder inside: say which
            raise BundleError(f"cannot be read ({exc.strerror or exc})", str(exc.filename or label)) from None
    if not stat.S_ISREG(st.st_mode):
        raise BundleError("is not a file or a folder; give the path of a bundle folder or .zip", label)
    try:
        with open(path, "rb") as handle:
            return _read_zip_stream(handle, label)
    except OSError as exc:
        raise BundleError(f"cannot be read ({exc.strerror})", label) from None


def _upload_error(text: str, label: str | None) -> BundleError:
    """An error about the zip as a whole: "upload.zip: is ..." or "the upload is ..."."""
    return BundleError(text, label) if label else BundleError(f"the upload {text}")


def _seekable(stream: IO[bytes], label: str | None) -> IO[bytes]:
    """The stream itself when it can seek (zipfile needs that); else a bounded copy."""
    try:
        stream.seek(0)
        return stream
    except (AttributeError, OSError, ValueError):
        data = stream.read(MAX_ZIP_BYTES + 1)
        if len(data) > MAX_ZIP_BYTES:
            raise _upload_error(_too_big_zip_message(len(data)), label) from None
        return io.BytesIO(data)


def _too_big_zip_message(size: int) -> str:
    return (f"is more than {MAX_ZIP_BYTES // MIB} MiB; a bundle may unpack to at most "
            f"{MAX_BUNDLE_BYTES // MIB} MiB, so remove large samples or images")


# -- folders ----------------------------------------------------------------------


def _read_folder(root: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    total = 0
    for rel, full in _walk(root, ()):
        if len(files) >= MAX_FILES:
            raise BundleError(too_many_files_message())
        data = _read_limited_file(full, rel, MAX_BUNDLE_BYTES - total)
        total += len(data)
        files[rel] = data
    return files


def _walk(folder: Path, parts: tuple[str, ...]) -> Iterator[tuple[str, Path]]:
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            rel_parts = parts + (entry.name,)
            rel = _folder_name(rel_parts)
            if entry.is_symlink():
                raise BundleError("is a link; links are refused, put the file itself in the bundle", rel)
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__MACOSX":
                    yield from _walk(Path(entry.path), rel_parts)
            elif entry.is_file(follow_symlinks=False):
                if entry.name != ".DS_Store":
                    yield rel, Path(entry.path)
            else:
                raise BundleError("is not a regular file; a bundle holds only files and folders", rel)


def _folder_name(parts: tuple[str, ...]) -> str:
    try:
        for part in parts:
            part.encode("utf-8")  # undecodable bytes come back as lone surrogates
    except UnicodeEncodeError:
        raw = b"/".join(os.fsencode(part) for part in parts)
        raise BundleError("this file name is not valid UTF-8; rename it", repr(raw)[2:-1]) from None
    return "/".join(parts)


def _read_limited_file(full: Path, rel: str, room: int) -> bytes:
    limit = byte_limit(rel, room)
    with open(full, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise size_error(rel, script=limit < room)
    return data


# -- zips -------------------------------------------------------------------------


def _read_zip_stream(stream: IO[bytes], label: str | None) -> dict[str, bytes]:
    try:
        stream.seek(0, io.SEEK_END)
        size = stream.tell()
        stream.seek(0)
    except (OSError, ValueError) as exc:
        raise _upload_error(f"cannot be read ({exc})", label) from None
    if size > MAX_ZIP_BYTES:
        raise _upload_error(_too_big_zip_message(size), label)
    try:
        declared = declared_entry_count(stream, size)
    except (OSError, ValueError) as exc:
        raise _upload_error(f"cannot be read ({exc})", label) from None
    if declared is not None and declared > MAX_ZIP_ENTRIES:
        raise BundleError(too_many_files_message())
    try:
        archive = zipfile.ZipFile(stream)
    except UnicodeDecodeError as exc:
        raw = repr(exc.object)[2:-1] if isinstance(exc.object, bytes) else None
        raise BundleError("a file name in the zip is not valid UTF-8; rename it", raw) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError):
        raise _upload_error("is not a zip file; upload a .zip of the bundle folder", label) from None
    with archive:
        if len(archive.infolist()) > MAX_ZIP_ENTRIES:
            raise BundleError(too_many_files_message())
        entries = _zip_entries(archive)
        return _read_zip_entries(archive, entries)


def _zip_entries(archive: zipfile.ZipFile) -> list[tuple[str, zipfile.ZipInfo]]:
    """(clean name, info) for every entry worth reading, top folder stripped."""
    kept: list[tuple[tuple[str, ...], zipfile.ZipInfo]] = []
    for info in archive.infolist():
        parts = _zip_name_parts(info)
        if parts is None:
            continue
        if (info.external_attr >> 16) & 0o170000 == stat.S_IFLNK:
            raise BundleError("is a link; links are refused, put the file itself in the bundle", info.filename)
        if info.flag_bits & _ENCRYPTED_FLAG:
            raise BundleError("is encrypted; zip the bundle without a password", info.filename)
        kept.append((parts, info))
        if len(kept) > MAX_FILES:
            raise BundleError(too_many_files_message())
    tops = {parts[0] for parts, _ in kept}
    if len(tops) == 1 and all(len(parts) > 1 for parts, _ in kept):
        kept = [(parts[1:], info) for parts, info in kept]
    return unique_entries(
        kept,
        twice="appears twice in the zip; keep one copy",
        clash="is both a file and a folder in the zip; rename one of them",
    )


def _zip_name_parts(info: zipfile.ZipInfo) -> tuple[str, ...] | None:
    """The checked path parts of an entry, or None for junk and folder entries."""
    name = info.orig_filename
    if not info.flag_bits & _UTF8_NAME_FLAG:
        # zipfile decoded the raw name as cp437; most tools wrote UTF-8 without the flag.
        raw = name.encode("cp437")
        try:
            name = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BundleError("this file name in the zip is not valid UTF-8; rename it",
                              repr(raw)[2:-1]) from None
    if "\x00" in name:
        raise BundleError("this file name in the zip contains a NUL character; rename it", repr(name))
    _check_zip_name(name)  # folder entries too: never read, but a hostile name is still refused
    if name.endswith("/"):
        return None
    parts = tuple(part for part in name.split("/") if part not in ("", "."))
    if is_junk(parts):
        return None
    return parts


def _check_zip_name(name: str) -> None:
    # Empty and "." parts ("./connector.json", "a//b") are harmless in a zip; the
    # rest of path_problem's rules (absolute, backslash, "..") refuse the entry.
    cleaned = "/".join(part for part in name.split("/") if part not in ("", "."))
    problem = path_problem(name) if name.startswith("/") else cleaned and path_problem(cleaned)
    if problem:
        raise BundleError(problem, name)


def _read_zip_entries(archive: zipfile.ZipFile, entries: list[tuple[str, zipfile.ZipInfo]]) -> dict[str, bytes]:
    declared = 0
    for name, info in entries:
        if name.endswith(".js") and info.file_size > MAX_SCRIPT_BYTES:
            raise size_error(name, script=True)
        declared += info.file_size
        if declared > MAX_BUNDLE_BYTES:
            raise size_error(name, script=False)
    files: dict[str, bytes] = {}
    total = 0
    for name, info in entries:
        data = _read_zip_entry(archive, info, name, MAX_BUNDLE_BYTES - total)
        total += len(data)
        files[name] = data
    return files


def _read_zip_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, room: int) -> bytes:
    limit = byte_limit(name, room)
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as handle:
            while chunk := handle.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise size_error(name, script=limit < room)
                chunks.append(chunk)
    except BundleError:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise BundleError(f"cannot be unpacked ({exc}); zip the bundle again", name) from None
    except Exception as exc:  # zlib.error and friends: a damaged entry, not a crash
        raise BundleError(f"cannot be unpacked ({type(exc).__name__}); zip the bundle again", name) from None
    return b"".join(chunks)


# -- the bundle -------------------------------------------------------------------


def build_bundle(files: dict[str, bytes]) -> Bundle:
    """Files in bundle-format.md's layout (connector.json included) -> a validated Bundle."""
    if MANIFEST not in files:
        nested = sorted(name for name in files if name.endswith("/" + MANIFEST))
        hint = f" (found {nested[0]}: zip the folder that holds it)" if nested else ""
        raise BundleError(f"is missing; put the manifest at the top of the bundle{hint}", MANIFEST)
    for name in sorted(files):  # a folder on disk can hold names a zip entry could not
        problem = path_problem(name)
        if problem:
            raise BundleError(problem, name)
    manifest = _parse_manifest(files.pop(MANIFEST))
    scripts = _script_paths(manifest) | {name for name in files if name.endswith(".js")}
    for name in sorted(scripts):
        if name in files:
            if len(files[name]) > MAX_SCRIPT_BYTES:
                raise size_error(name, script=True)
            _check_script_text(_check_utf8(files[name], name), name)
    errors = validate_manifest(manifest, files)
    if errors:
        raise errors[0]
    return Bundle(manifest=manifest, files=dict(sorted(files.items())))


def _parse_manifest(data: bytes) -> dict:
    text = _check_utf8(data, MANIFEST, encoding="utf-8-sig")
    try:
        manifest = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise BundleError(f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
                          MANIFEST) from None
    except ValueError as exc:
        raise BundleError(f"is not valid JSON: {exc}", MANIFEST) from None
    except RecursionError:
        raise BundleError("is not valid JSON: it is nested too deeply", MANIFEST) from None
    if not isinstance(manifest, dict):
        raise BundleError(f"must hold a JSON object ({{...}}), not a {type(manifest).__name__}", MANIFEST, "$")
    return manifest


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number; write a number or a string")


def _check_utf8(data: bytes, name: str, encoding: str = "utf-8") -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise BundleError(f"is not UTF-8 text: byte 0x{data[exc.start]:02x} at line {line}, column {column}; "
                          "save the file as UTF-8", name) from None


def _check_script_text(text: str, name: str) -> None:
    # Scripts are stored as text, and PostgreSQL text cannot hold a NUL character.
    at = text.find("\x00")
    if at >= 0:
        line = text.count("\n", 0, at) + 1
        raise BundleError(f"contains a NUL character at line {line}; remove it", name)


def _script_paths(manifest: dict) -> set[str]:
    """Bundle.script_paths() for a manifest not validated yet (any shape)."""
    paths = set(DEFAULT_SCRIPTS.values())
    scripts = manifest.get("scripts")
    if isinstance(scripts, dict):
        paths.update(value for value in scripts.values() if isinstance(value, str))
    params = manifest.get("parameters")
    for param in params if isinstance(params, list) else []:
        discovery = param.get("discovery") if isinstance(param, dict) else None
        if isinstance(discovery, dict) and isinstance(discovery.get("script"), str):
            paths.add(discovery["script"])
    return paths
