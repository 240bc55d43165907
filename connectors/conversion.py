"""Connector <-> Bundle: the one place that maps the model onto bundle-format.md.

Export writes the two main scripts at their default paths, so an imported bundle
that named them differently comes back equivalent, not byte-identical.
"""

from __future__ import annotations

from collections.abc import Mapping

from connectors.bundle.credentials import strip_oauth2
from connectors.bundle.devstudio import is_devstudio_leftover
from connectors.bundle.types import DEFAULT_SCRIPTS, Bundle
from connectors.models import AuthMethod, Connector

# The Connector columns connector.json is made of; the scripts and files are the rest.
MANIFEST_COLUMNS = (
    "name", "description", "auth_method", "auth_fields", "oauth2", "hosts", "reports", "parameters", "samples",
)


def manifest_from_columns(columns: Mapping) -> dict:
    """connector.json from Connector column values: a saved connector's, or the editor's before saving."""
    method = columns["auth_method"]
    auth: dict = {"method": method}
    if method == AuthMethod.CUSTOM:
        auth["fields"] = list(columns["auth_fields"] or [])
    if method == AuthMethod.OAUTH2:
        auth["oauth2"] = dict(columns["oauth2"] or {})
    manifest = {
        "format": 1,
        "name": columns["name"],
        "description": columns["description"],
        "auth": auth,
        "hosts": list(columns["hosts"] or []),
        "reports": list(columns["reports"] or []),
        "parameters": list(columns["parameters"] or []),
    }
    if columns["samples"]:
        manifest["samples"] = columns["samples"]
    return manifest


def connector_as_bundle(connector: Connector) -> Bundle:
    columns = {column: getattr(connector, column) for column in MANIFEST_COLUMNS}
    # Rows saved before imports cleaned them may still hold a client_secret in the OAuth
    # settings or a Dev Studio account file: neither leaves the portal in a bundle.
    columns["oauth2"] = strip_oauth2(columns["oauth2"] or {})[0]
    manifest = manifest_from_columns(columns)
    files = {f.path: bytes(f.content) for f in connector.files.all() if not is_devstudio_leftover(f.path)}
    if connector.authentication_script:
        files[DEFAULT_SCRIPTS["authentication"]] = connector.authentication_script.encode("utf-8")
    if connector.processdata_script:
        files[DEFAULT_SCRIPTS["processdata"]] = connector.processdata_script.encode("utf-8")
    return Bundle(manifest=manifest, files=files)


def bundle_fields(bundle: Bundle) -> tuple[dict, dict[str, bytes]]:
    """The Connector column values and the ConnectorFile rows a bundle maps to."""
    manifest = bundle.manifest
    auth = manifest.get("auth") or {}
    paths = bundle.script_paths()
    fields = {
        "name": manifest.get("name", ""),
        "description": manifest.get("description", "") or "",
        "auth_method": auth.get("method", AuthMethod.NONE),
        "auth_fields": auth.get("fields", []) if auth.get("method") == AuthMethod.CUSTOM else [],
        "oauth2": auth.get("oauth2", {}) if auth.get("method") == AuthMethod.OAUTH2 else {},
        "hosts": manifest.get("hosts", []),
        "reports": manifest.get("reports", []),
        "parameters": manifest.get("parameters", []),
        "samples": manifest.get("samples", {}),
        "authentication_script": bundle.text(paths["authentication"]) or "",
        "processdata_script": bundle.text(paths["processdata"]) or "",
    }
    main_scripts = {paths["authentication"], paths["processdata"]}
    files = {path: data for path, data in bundle.files.items() if path not in main_scripts}
    return fields, files
