"""import_bundle: a bundle of ours or a Domo Dev Studio export -> Bundle, with notes.

Upload (web page and API) and review_bundle take either layout. A bundle of ours
comes back with no notes; a Dev Studio export is converted (devstudio.py) and the
notes say what had no equivalent and which stored credentials were dropped
(import_notes.py groups them).

A Dev Studio export left unfinished in the IDE (no authentication type, a parameter
without a name, a discovery parameter without code) comes back as a draft bundle with
those holes open, for the completeness list to name; everything else in it is
validated like any bundle.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from . import devstudio
from . import import_notes as note
from .credentials import strip_oauth2
from .errors import BundleError
from .import_notes import ImportNote, flat_notes
from .reader import build_bundle, read_files
from .types import MANIFEST, MAX_BUNDLE_BYTES, MAX_FILES, Bundle

OURS = "bundle"
DEVSTUDIO = "devstudio"


@dataclass(frozen=True)
class ImportedBundle:
    bundle: Bundle
    source_format: str = OURS
    grouped_notes: tuple[ImportNote, ...] = field(default_factory=tuple)

    @property
    def notes(self) -> tuple[str, ...]:
        """The notes as one list of sentences (the API's import_notes, review_bundle's text)."""
        return flat_notes(self.grouped_notes)


def import_bundle(source: Any) -> ImportedBundle:
    """Read either layout; raise BundleError (what and where) when it cannot be read."""
    files = read_files(source)
    if not devstudio.is_devstudio(files):
        bundle, notes = without_credentials(build_bundle(files))
        return ImportedBundle(bundle, OURS, tuple(notes))
    converted, notes = devstudio.convert(files)
    # Scripts come out of JSON strings here, so the reader's limits are checked again.
    if len(converted) > MAX_FILES:
        raise BundleError(f"the converted bundle has more than {MAX_FILES} files (one per discovery parameter); "
                          "remove parameters the connector does not need", "uiMetaData.json", "$.parameters")
    if sum(len(data) for data in converted.values()) > MAX_BUNDLE_BYTES:
        raise BundleError(f"the converted bundle is more than {MAX_BUNDLE_BYTES // (1024 * 1024)} MiB; "
                          "remove large scripts or images")
    try:
        bundle = _build_draft(converted)
    except BundleError as error:
        # The converted connector.json is ours, not the developer's: say so, or the
        # JSON path would point into a file they have never seen.
        raise BundleError(f"{error.message} (in the connector.json converted from the Dev Studio export)",
                          error.file, error.json_path) from None
    bundle, dropped = without_credentials(bundle)
    return ImportedBundle(bundle, DEVSTUDIO, tuple(notes + dropped))


def _build_draft(files: dict[str, bytes]) -> Bundle:
    """build_bundle, except for the holes an unfinished IDE connector may have.

    The manifest is validated with each hole filled by a stand-in (a method, a unique
    name), so every other problem is still refused with its path; the bundle returned
    keeps the holes, which missing_parts() names.
    """
    manifest = json.loads(files[MANIFEST])
    stand_in = json.loads(files[MANIFEST])
    if isinstance(stand_in.get("auth"), dict) and stand_in["auth"].get("method") == "":
        stand_in["auth"]["method"] = "none"
    parameters = stand_in.get("parameters") if isinstance(stand_in.get("parameters"), list) else []
    taken = {p["name"] for p in parameters if isinstance(p, dict) and isinstance(p.get("name"), str)}
    for i, param in enumerate(parameters):
        if isinstance(param, dict) and param.get("name") == "":
            param["name"] = _unused(f"parameter {i + 1}", taken)
    bundle = build_bundle({**files, MANIFEST: json.dumps(stand_in).encode("utf-8")})
    return replace(bundle, manifest=manifest)


def _unused(name: str, taken: set) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name} ({n})", n + 1
    taken.add(candidate)
    return candidate


def without_credentials(bundle: Bundle) -> tuple[Bundle, list[ImportNote]]:
    """The bundle with credentials cut out of its OAuth 2.0 settings, and a note for each one."""
    auth = bundle.manifest.get("auth")
    if not isinstance(auth, dict) or not isinstance(auth.get("oauth2"), dict):
        return bundle, []
    oauth2, dropped = strip_oauth2(auth["oauth2"])
    if not dropped:
        return bundle, []
    manifest = {**bundle.manifest, "auth": {**auth, "oauth2": oauth2}}
    notes = []
    for entry in dropped:  # "<setting>" or "<setting> <name inside it>"
        setting, _, name = entry.partition(" ")
        notes.append(note.dropped(name or setting, f"the OAuth 2.0 setting {setting}" if name else
                                  "the OAuth 2.0 settings; the client secret is typed into the portal"))
    return replace(bundle, manifest=manifest), notes
