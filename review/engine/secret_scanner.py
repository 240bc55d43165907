"""Known key formats through detect-secrets (SecretsCollection.scan_file, as its docs intend).

Only the format plugins are used. Keyword and entropy plugins are left out on purpose:
the keyword plugin flags `passwordField: "password"` and the entropy plugins flag ids
and hashes on almost every line of a connector; the AST part of hardcoded-credential
judges names and values with the tree instead. Lines that cannot hold a key are
blanked before the scan (line numbers stay), because detect-secrets' cost is per line
(~0.5 s per 2,000 lines with every plugin).
"""

from __future__ import annotations

import os
import re
import tempfile

LEFT_OUT = {"KeywordDetector", "Base64HighEntropyString", "HexHighEntropyString", "IPPublicDetector"}
# A key is a run of 16+ token characters, a user:pass@ URL, or a PEM header.
MAY_HOLD_A_KEY = re.compile(r"[A-Za-z0-9+/=_\-.]{16,}|://[^/\s]*:[^/\s]*@|-----BEGIN")

_plugins: list[dict] | None = None


def _format_plugins() -> list[dict]:
    global _plugins
    if _plugins is None:
        from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

        classes = get_mapping_from_secret_type_to_class().values()
        _plugins = [{"name": c.__name__} for c in classes if c.__name__ not in LEFT_OUT]
    return _plugins


def scan_for_keys(text: str) -> list[tuple[int, str]]:
    """(line number, secret type) for every known key format detect-secrets finds."""
    from detect_secrets import SecretsCollection
    from detect_secrets.settings import transient_settings

    kept = "\n".join(line if MAY_HOLD_A_KEY.search(line) else "" for line in text.split("\n"))
    # The .js suffix matters: detect-secrets picks its rules by file extension.
    handle, path = tempfile.mkstemp(suffix=".js")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            f.write(kept)
        with transient_settings({"plugins_used": _format_plugins()}):
            collection = SecretsCollection()
            collection.scan_file(path)
            found = sorted({(secret.line_number, secret.type) for _, secret in collection})
    finally:
        os.unlink(path)
    return found
