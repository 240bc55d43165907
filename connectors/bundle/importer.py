"""import_bundle: a bundle of ours or a Domo Dev Studio export -> Bundle, with notes.

Upload (web page and API) and review_bundle take either layout. A bundle of ours
comes back with no notes; a Dev Studio export is converted (devstudio.py) and the
notes say what had no equivalent and which stored credentials were dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import devstudio
from .errors import BundleError
from .reader import build_bundle, read_files
from .types import MAX_BUNDLE_BYTES, MAX_FILES, Bundle

OURS = "bundle"
DEVSTUDIO = "devstudio"


@dataclass(frozen=True)
class ImportedBundle:
    bundle: Bundle
    source_format: str = OURS
    notes: tuple[str, ...] = field(default_factory=tuple)


def import_bundle(source: Any) -> ImportedBundle:
    """Read either layout; raise BundleError (what and where) when it cannot be read."""
    files = read_files(source)
    if not devstudio.is_devstudio(files):
        return ImportedBundle(build_bundle(files))
    converted, notes = devstudio.convert(files)
    # Scripts come out of JSON strings here, so the reader's limits are checked again.
    if len(converted) > MAX_FILES:
        raise BundleError(f"the converted bundle has more than {MAX_FILES} files (one per discovery parameter); "
                          "remove parameters the connector does not need", "uiMetaData.json", "$.parameters")
    if sum(len(data) for data in converted.values()) > MAX_BUNDLE_BYTES:
        raise BundleError(f"the converted bundle is more than {MAX_BUNDLE_BYTES // (1024 * 1024)} MiB; "
                          "remove large scripts or images")
    try:
        bundle = build_bundle(converted)
    except BundleError as error:
        # The converted connector.json is ours, not the developer's: say so, or the
        # JSON path would point into a file they have never seen.
        raise BundleError(f"{error.message} (in the connector.json converted from the Dev Studio export)",
                          error.file, error.json_path) from None
    return ImportedBundle(bundle, DEVSTUDIO, tuple(notes))
