"""Bundle -> Domo Connector Dev Studio's layout (what its GitHub sync holds), as a zip.

The inverse of devstudio.convert for everything Dev Studio can hold. It has no place
for the declared hosts or the recorded samples, so those stay behind (the export page
says so); every stored-credential key is written empty, as a fresh IDE connector has it.
"""

from __future__ import annotations

import json

from .devstudio import AUTH_TYPES, IMAGE_FILES, OAUTH2_KEYS, PARAMETER_TYPE_CODES
from .types import ICONS, Bundle
from .writer import zip_of

# Ours -> Dev Studio's code (the first code that maps to each of our methods).
_AUTH_CODES = {ours: code for code, ours in reversed(list(AUTH_TYPES.items()))}
_PARAMETER_CODES = {ours: code for code, ours in PARAMETER_TYPE_CODES.items() if code != ours}


def _dump(data: dict) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _authentication_section(bundle: Bundle) -> dict:
    auth = bundle.manifest.get("auth") or {}
    method = auth.get("method", "none")
    oauth2 = auth.get("oauth2") or {}
    section = {
        # A draft imported with no type chosen goes back with none chosen, not "none".
        "type": _AUTH_CODES.get(method, "none") if method else None,
        "authCodeText": bundle.text(bundle.script_paths()["authentication"]),
        "userName": None, "password": None, "apiKey": None, "clientSecret": None,
        "oauthUserName": None, "oauthPassword": None,
    }
    for theirs, ours in OAUTH2_KEYS.items():
        section[theirs] = oauth2.get(ours) if method == "oauth2" else None
    section["customAccountFields"] = [
        {"label": field.get("label"), "value": None, "type": "password" if field.get("secret") else "text"}
        for field in auth.get("fields") or []
    ] if method == "custom" else []
    return section


def _parameter(param: dict, order: int, bundle: Bundle) -> dict:
    out = {
        "name": param.get("name"),
        "type": _PARAMETER_CODES.get(param.get("type"), param.get("type")),
        "required": bool(param.get("required")),
        "order": order,
        "options": [dict(option) for option in param.get("options") or []],
        "command": None,
        "helpText": param.get("help"),
        "showWhen": param.get("show_when", ""),
        "value": None,
        "dateSelectorValue": None,
    }
    discovery = param.get("discovery")
    if param.get("type") == "discovery" and isinstance(discovery, dict):
        out["command"] = {"name": param.get("name"), "code": bundle.text(discovery.get("script", "")) or "",
                          "type": discovery.get("mode", "dropdown")}
    return out


def devstudio_sections(bundle: Bundle) -> dict[str, dict]:
    """The five JSON files of a Dev Studio export, by file name."""
    m = bundle.manifest
    images = [theirs for theirs, ours in IMAGE_FILES.items() if ICONS[ours][0] in bundle.files]
    ui = {
        "name": m.get("name"),
        "connectorType": "datagrid",
        "description": m.get("description") or None,
        "reportLength": len(m.get("reports") or []),
        "days": (m.get("samples") or {}).get("days", 7),
        "reports": list(m.get("reports") or []),
        "parameters": [_parameter(p, i, bundle) for i, p in enumerate(m.get("parameters") or [])],
        "showAdvanced": bool(m.get("parameters")),
    }
    authentication = _authentication_section(bundle)
    process = {"processData": bundle.text(bundle.script_paths()["processdata"])}
    image = {"images": images, "validImages": images}
    connector = {**image, **ui, **authentication, **process}
    return {"connector.json": connector, "authenticationSection.json": authentication,
            "processDataSection.json": process, "uiMetaData.json": ui, "imageSection.json": image}


def write_devstudio_zip(bundle: Bundle) -> bytes:
    """The bundle in Dev Studio's layout; deterministic like write_bundle_zip."""
    files = {name: _dump(data) for name, data in devstudio_sections(bundle).items()}
    for theirs, ours in IMAGE_FILES.items():
        data = bundle.files.get(ICONS[ours][0])
        if data is not None:
            files[f"{theirs}.png"] = bytes(data)
    return zip_of(files)
