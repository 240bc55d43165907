"""What a connector still needs before it can be submitted.

missing_parts() is the one list: the portal's Submit check shows it and the review
engine's `missing-field` rule reports it, so both always agree. It takes any Bundle,
including a draft whose manifest was never validated, and never raises on odd shapes.
`field` is a stable key the web UI links to the form field from. The messages name the parts
as the editor shows them (connectors.glossary), not by file or connector.json path: `file`
and `json_path` carry those for the API and the review's findings.
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from dataclasses import dataclass
from typing import Any

from connectors.glossary import PARTS, in_a_sentence

from .manifest import AUTH_METHODS, MAX_DESCRIPTION, MAX_NAME, TOKEN_METHODS
from .types import DEFAULT_SCRIPTS, ICONS, MANIFEST, Bundle


@dataclass(frozen=True)
class MissingPart:
    field: str
    message: str
    file: str | None = None
    json_path: str | None = None


_OAUTH2_REQUIRED = {
    "client_id": f"Add the {PARTS['auth.oauth2.client_id']}.",
    "authorization_url": f"Add the {PARTS['auth.oauth2.authorization_url']}.",
    "access_token_url": f"Add the {PARTS['auth.oauth2.access_token_url']}.",
    "token_method": f"Choose the {in_a_sentence(PARTS['auth.oauth2.token_method'])}: GET or POST.",
}


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
        parts.append(MissingPart("reports", "Add at least one report; the process-data script reads the "
                                 "chosen one as metadata.report.", MANIFEST, "$.reports"))
    parts += _auth_method(m)
    parts += _scripts(bundle, m)
    parts += _parameter_names(m)
    parts += _discovery_scripts(bundle, m)
    for key in ICONS:
        problem = icon_problem(key, bundle.files.get(ICONS[key][0]))
        if problem:
            parts.append(MissingPart(f"icons.{key}", problem, ICONS[key][0], None))
    parts += _oauth2(m)
    return parts


def icon_problem(key: str, data: bytes | None, subject: str | None = None) -> str | None:
    """What is wrong with the icon `key` (an ICONS key) holding `data`; None when it is fine.

    The sentence is about `subject` ("banner.png", the file just chosen) or else the icon
    by its name in the glossary ("The logo banner without background")."""
    _path, width, height = ICONS[key]
    if data and _plain_png_size(data) == (width, height):
        return None  # what Pillow would say, without importing it (~15 ms of review_bundle)
    name = in_a_sentence(PARTS[f"icons.{key}"])
    if data is None:
        return f"Add the {name}: a {width}x{height} PNG."
    return _problem_by_pillow(subject or f"The {name}", width, height, data)


def _problem_by_pillow(subject: str, width: int, height: int, data: bytes) -> str | None:
    wanted = f"{width}x{height} PNG"
    if not data:
        return f"{subject} is empty; it must be a {wanted}."
    from PIL import Image  # only for icons the plain reading below does not vouch for

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a decompression-bomb warning is just "too big"
            with Image.open(io.BytesIO(data)) as image:
                kind, size = image.format, image.size
                image.verify()
    except Exception:
        return f"{subject} is not a PNG (the file is damaged or not an image); it must be a {wanted}."
    if kind != "PNG":
        return f"{subject} is not a PNG (it is a {kind} image); it must be a {wanted}."
    if size != (width, height):
        return f"{subject} is {size[0]}x{size[1]}; it must be a {wanted}."
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
        return f"Write the {what}; there is none yet."
    if not data.strip():
        return f"The {what} is empty; write it."
    return None


def _scripts(bundle: Bundle, m: dict) -> list[MissingPart]:
    declared = m.get("scripts") if isinstance(m.get("scripts"), dict) else {}
    parts = []
    for role, default in DEFAULT_SCRIPTS.items():
        path = declared.get(role) if isinstance(declared.get(role), str) and declared.get(role) else default
        problem = _script_problem(bundle, path, in_a_sentence(PARTS[f"scripts.{role}"]))
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
        label = f"#{i + 1}" if _blank(param.get("name")) else param["name"]
        discovery = param.get("discovery") if isinstance(param.get("discovery"), dict) else {}
        path = discovery.get("script")
        if _blank(path):
            parts.append(MissingPart(field, f'Parameter "{label}" is a discovery parameter: give it a discovery '
                                     "script that lists its options.", MANIFEST, f"$.{field}"))
            continue
        problem = _script_problem(bundle, path, f'discovery script of parameter "{label}"')
        if problem:
            parts.append(MissingPart(field, problem, path, f"$.{field}"))
    return parts


def _auth_method(m: dict) -> list[MissingPart]:
    # Only a draft imported from a Dev Studio export whose developer never chose one gets here:
    # every bundle read from a file has a valid method.
    auth = m.get("auth") if isinstance(m.get("auth"), dict) else {}
    if auth.get("method") in AUTH_METHODS:
        return []
    return [MissingPart("auth.method", "Choose how the connector authenticates: none, username and password, "
                        "API key, OAuth 2.0 or custom account.", MANIFEST, "$.auth.method")]


def _parameter_names(m: dict) -> list[MissingPart]:
    params = m.get("parameters") if isinstance(m.get("parameters"), list) else []
    return [MissingPart(f"parameters[{i}]", f"Parameter {i + 1} has no name; name it (the scripts read its value "
                        'as metadata.parameters["<name>"]).', MANIFEST, f"$.parameters[{i}].name")
            for i, param in enumerate(params) if isinstance(param, dict) and _blank(param.get("name"))]


def _oauth2(m: dict) -> list[MissingPart]:
    auth = m.get("auth") if isinstance(m.get("auth"), dict) else {}
    if auth.get("method") != "oauth2":
        return []
    oauth2 = auth.get("oauth2") if isinstance(auth.get("oauth2"), dict) else {}
    parts = []
    for key, message in _OAUTH2_REQUIRED.items():
        value = oauth2.get(key)
        if key == "token_method" and not _blank(value) and value not in TOKEN_METHODS:
            message = f"The {PARTS['auth.oauth2.token_method']} is {value!r}; choose GET or POST."
        elif not _blank(value):
            continue
        parts.append(MissingPart(f"auth.oauth2.{key}", message, MANIFEST, f"$.auth.oauth2.{key}"))
    return parts
