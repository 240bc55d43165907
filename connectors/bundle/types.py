"""The in-memory form of a connector bundle (bundle-format.md, version 1).

A Bundle is what every part of the portal passes around: the reader builds one
from a folder or a zip, the exporter writes one, the review engine checks one and a
Submission's snapshot is one. It holds bytes, never paths on disk, so a reviewed
bundle cannot change under the reviewer's feet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

MANIFEST = "connector.json"

DEFAULT_SCRIPTS = {"authentication": "authentication.js", "processdata": "processdata.js"}

# Icon key -> (path inside the bundle, required width, required height)
ICONS = {
    "icon_with_background": ("icons/icon_with_background.png", 512, 512),
    "icon_without_background": ("icons/icon_without_background.png", 512, 512),
    "logo_with_background": ("icons/logo_with_background.png", 512, 512),
    "logo_without_background": ("icons/logo_without_background.png", 1024, 512),
}

# Limits from bundle-format.md
MAX_SCRIPT_BYTES = 1024 * 1024
MAX_BUNDLE_BYTES = 20 * 1024 * 1024
MAX_FILES = 500


@dataclass(frozen=True)
class Bundle:
    """A parsed bundle: the manifest as a dict and every other file as bytes.

    `files` maps relative POSIX paths ("processdata.js", "icons/...png",
    "samples/page-1.csv", "discovery/workspaces.js") to their content;
    connector.json itself is not in `files`.
    """

    manifest: dict
    files: Mapping[str, bytes] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.manifest.get("name", "")

    def script_paths(self) -> dict[str, str]:
        """Role -> path for every script the manifest names.

        Roles are "authentication", "processdata" and "discovery:<parameter name>".
        """
        scripts = {**DEFAULT_SCRIPTS, **(self.manifest.get("scripts") or {})}
        paths = {"authentication": scripts["authentication"], "processdata": scripts["processdata"]}
        for param in self.manifest.get("parameters") or []:
            if param.get("type") == "discovery":
                script = (param.get("discovery") or {}).get("script")
                if script:
                    paths[f"discovery:{param.get('name', '')}"] = script
        return paths

    def scripts(self) -> dict[str, str]:
        """Path -> source text of every script that is present (decoded as UTF-8)."""
        return {
            path: self.files[path].decode("utf-8")
            for path in self.script_paths().values()
            if path in self.files
        }

    def text(self, path: str) -> str | None:
        data = self.files.get(path)
        return None if data is None else data.decode("utf-8")

    def icon(self, key: str) -> bytes | None:
        return self.files.get(ICONS[key][0])
