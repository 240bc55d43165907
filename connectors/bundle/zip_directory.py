"""How many entries a zip says it holds, read from its last few bytes.

zipfile.ZipFile parses the whole central directory into Python objects before anyone
can look at its length: a zip of 450,000 empty entries costs seconds of CPU and
hundreds of MB in the web process before it could be refused. The end-of-central-
directory record at the tail of every zip states the count; reading it costs one
seek and at most 64 KiB.
"""

from __future__ import annotations

import io
import struct
from typing import IO

_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_MAX_COMMENT = 0xFFFF
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_LOCATOR_SIZE = 20
_ZIP64_EOCD = b"PK\x06\x06"


def declared_entry_count(stream: IO[bytes], size: int) -> int | None:
    """The entry count the zip's directory declares, or None when no directory is found.

    None means "not a zip we can read cheaply"; zipfile will then say it is not a zip.
    The stream is left at position 0.
    """
    tail_size = min(size, _EOCD_SIZE + _MAX_COMMENT)
    stream.seek(size - tail_size)
    tail = stream.read(tail_size)
    stream.seek(0)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < _EOCD_SIZE:
        return None
    (total,) = struct.unpack_from("<H", tail, at + 10)
    if total != 0xFFFF:
        return total
    return _zip64_entry_count(stream, size - tail_size + at)


def _zip64_entry_count(stream: IO[bytes], eocd_offset: int) -> int | None:
    locator_at = eocd_offset - _ZIP64_LOCATOR_SIZE
    if locator_at < 0:
        return 0xFFFF
    stream.seek(locator_at)
    locator = stream.read(_ZIP64_LOCATOR_SIZE)
    if not locator.startswith(_ZIP64_LOCATOR):
        stream.seek(0)
        return 0xFFFF
    (record_at,) = struct.unpack_from("<Q", locator, 8)
    stream.seek(record_at, io.SEEK_SET)
    record = stream.read(56)
    stream.seek(0)
    if not record.startswith(_ZIP64_EOCD) or len(record) < 56:
        return None
    (total,) = struct.unpack_from("<Q", record, 32)
    return total
