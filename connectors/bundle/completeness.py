"""What a connector still needs before it can be submitted.

missing_parts() is the one list: the portal's Submit check shows it and the review
engine's `missing-field` rule reports it, so both always agree. It takes any Bundle,
including a draft whose manifest was never validated, and never raises on odd shapes.
`field` is a stable key the web UI links to the form field from.
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from dataclasses import dataclass
from typing import Any

from .manifest import MAX_DESCRIPTION, MAX_NAME, TOKEN_METHODS
from .types import DEFAULT_SCRIPTS, ICONS, MANIFEST, Bundle


@dataclass(frozen=True)
class MissingPart:
    field: str
    message: str
    file: str | None = None
    json_path: str | None = None


_OAUTH2_REQUIRED = {
    "client_id": "Add the OAuth 2.0 client ID.",
    "authorization_url": "Add the OAuth 2.0 authorization URL.",
    "access_token_url": "Add the OAuth 2.0 access token URL.",
    "token_method": "Choose the token request method: GET or POST.",
}

_SCRIPT_LABELS = {"authentication": "authentication", "processdata": "process-data"}


def missing_parts(bundle: Bundle) -> list[MissingPart]:
    """Every part required before submitting that is missing or invalid; [] when ready."""
    m = bundle.manifest if isinstance(bundle.manifest, dict) else {}
    parts: list[MissingPart] = []
    parts += _name(m)
    parts += _description(m)
    if not _non_empty_list(m.get("hosts")):
        parts.append(MissingPart("hosts", "Add at least one host the scripts call, like api.example.com.",
                                 MANIFEST, "$.hosts"))
    if not _non_empty_list(m.get("reports")):
        parts.append(MissingPart("reports", "Add at least one report; the script reads the chosen one "
                                 "as metadata.report.", MANIFEST, "$.reports"))
    parts += _scripts(bundle, m)
    parts += _discovery_scripts(bundle, m)
    for key in ICONS:
        problem = icon_problem(key, bundle.files.get(ICONS[key][0]))
        if problem:
            parts.append(MissingPart(f"icons.{key}", problem, ICONS[key][0], None))
    parts += _oauth2(m)
    return parts


def icon_problem(key: str, data: bytes | None) -> str | None:
    """What is wrong with the icon `key` (an ICONS key) holding `data`; None when it is fine."""
    path, width, height = ICONS[key]
    if data and _plain_png_size(data) == (width, height):
        return None  # what Pillow would say, without importing it (~15 ms of review_bundle)
    return _problem_by_pillow(path, width, height, data)


def _problem_by_pillow(path: str, width: int, height: int, data: bytes | None) -> str | None:
    wanted = f"{width}x{height} PNG"
    if not data:
        return f"Add {path}: a {wanted}."
    from PIL import Image  # only for icons the plain reading below does not vouch for

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a decompression-bomb warning is just "too big"
            with Image.open(io.BytesIO(data)) as image:
                kind, size = image.format, image.size
                image.verify()
    except Exception:
        return f"{path} is not a PNG (the file is damaged or not an image); it must be a {wanted}."
    if kind != "PNG":
        return f"{path} is not a PNG (it is a {kind} image); it must be a {wanted}."
    if size != (width, height):
        return f"{path} is {size[0]}x{size[1]}; it must be {wanted}."
    return None


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# (bit depth, colour type) pairs Pillow opens (PngImagePlugin._MODES).
PNG_MODES = {(1, 0), (2, 0), (4, 0), (8, 0), (16, 0), (8, 2), (16, 2), (1, 3), (2, 3), (4, 3), (8, 3),
             (8, 4), (16, 4), (8, 6), (16, 6)}


def _plain_png_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a plain PNG that Pillow's open and verify accept; None when unsure.

    Plain: IHDR, the image data, IEND, every chunk's CRC right, as Pillow's verify()
    checks them. Anything else (other chunks before the image data, whose handlers
    Pillow runs, a bad CRC, not a PNG at all) is None, and Pillow decides and words the
    problem: this reading may only ever vouch for a PNG Pillow accepts too
    (tests/connectors/test_icon_check.py compares the two).
    """
    if not data.startswith(PNG_SIGNATURE):
        return None
    pos, size, seen_data = len(PNG_SIGNATURE), None, False
    while pos + 8 <= len(data):
        length, cid = struct.unpack_from(">I4s", data, pos)
        if cid == b"IEND" and seen_data:
            return size  # Pillow stops here without reading IEND's CRC
        end = pos + 8 + length
        if end + 4 > len(data) or not cid.isalnum():
            return None
        body = data[pos + 8:end]
        if zlib.crc32(body, zlib.crc32(cid)) != int.from_bytes(data[end:end + 4], "big"):
            return None
        if size is None:
            if cid != b"IHDR" or length != 13:
                return None
            width, height, depth, colour, _, filtering, _ = struct.unpack(">IIBBBBB", body)
            if (depth, colour) not in PNG_MODES or filtering != 0 or not (width and height):
                return None
            size = (width, height)
        elif cid == b"IDAT":
            seen_data = True
        elif not seen_data:
            return None
        pos = end + 4
    return None


def _non_empty_list(value: Any) -> bool:
    return isinstance(value, list) and len(value) > 0


def _blank(value: Any) -> bool:
    return not isinstance(value, str) or not value.strip()


def _name(m: dict) -> list[MissingPart]:
    name = m.get("name")
    if _blank(name):
        return [MissingPart("name", f"Add a name (1 to {MAX_NAME} characters).", MANIFEST, "$.name")]
    if len(name) > MAX_NAME:
        return [MissingPart("name", f"The name is {len(name)} characters; shorten it to {MAX_NAME} or fewer.",
                            MANIFEST, "$.name")]
    return []


def _description(m: dict) -> list[MissingPart]:
    text = m.get("description")
    if _blank(text):
        return [MissingPart("description", f"Add a description (up to {MAX_DESCRIPTION:,} characters).",
                            MANIFEST, "$.description")]
    if len(text) > MAX_DESCRIPTION:
        return [MissingPart("description", f"The description is {len(text):,} characters; "
                            f"shorten it to {MAX_DESCRIPTION:,} or fewer.", MANIFEST, "$.description")]
    return []


def _script_problem(bundle: Bundle, path: str, what: str) -> str | None:
    data = bundle.files.get(path)
    if data is None:
        return f"Add {path}, the {what}."
    if not data.strip():
        return f"{path} is empty; write the {what}."
    return None


def _scripts(bundle: Bundle, m: dict) -> list[MissingPart]:
    declared = m.get("scripts") if isinstance(m.get("scripts"), dict) else {}
    parts = []
    for role, default in DEFAULT_SCRIPTS.items():
        path = declared.get(role) if isinstance(declared.get(role), str) and declared.get(role) else default
        problem = _script_problem(bundle, path, f"{_SCRIPT_LABELS[role]} script")
        if problem:
            where = f"$.scripts.{role}" if role in declared else None
            parts.append(MissingPart(f"scripts.{role}", problem, path, where))
    return parts


def _discovery_scripts(bundle: Bundle, m: dict) -> list[MissingPart]:
    params = m.get("parameters") if isinstance(m.get("parameters"), list) else []
    parts = []
    for i, param in enumerate(params):
        if not isinstance(param, dict) or param.get("type") != "discovery":
            continue
        field = f"parameters[{i}].discovery.script"
        label = param.get("name") if isinstance(param.get("name"), str) else f"#{i + 1}"
        discovery = param.get("discovery") if isinstance(param.get("discovery"), dict) else {}
        path = discovery.get("script")
        if _blank(path):
            parts.append(MissingPart(field, f'Parameter "{label}" is a discovery parameter: name its script '
                                     "in discovery.script, like discovery/options.js.", MANIFEST, f"$.{field}"))
            continue
        problem = _script_problem(bundle, path, f'discovery script of parameter "{label}"')
        if problem:
            parts.append(MissingPart(field, problem, path, f"$.{field}"))
    return parts


def _oauth2(m: dict) -> list[MissingPart]:
    auth = m.get("auth") if isinstance(m.get("auth"), dict) else {}
    if auth.get("method") != "oauth2":
        return []
    oauth2 = auth.get("oauth2") if isinstance(auth.get("oauth2"), dict) else {}
    parts = []
    for key, message in _OAUTH2_REQUIRED.items():
        value = oauth2.get(key)
        if key == "token_method" and not _blank(value) and value not in TOKEN_METHODS:
            message = f"The token request method is {value!r}; choose GET or POST."
        elif not _blank(value):
            continue
        parts.append(MissingPart(f"auth.oauth2.{key}", message, MANIFEST, f"$.auth.oauth2.{key}"))
    return parts
