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
import threading

LEFT_OUT = {"KeywordDetector", "Base64HighEntropyString", "HexHighEntropyString", "IPPublicDetector"}
# A key is a run of 16+ token characters, a user:pass@ URL, or a PEM header. Possessive
# runs that exclude their own delimiters: `://[^/\s]*:[^/\s]*@` backtracked over every
# split of a run of ':' (a 1 MiB line of them never finished).
MAY_HOLD_A_KEY = re.compile(r"[A-Za-z0-9+/=_\-.]{16,}|://[^/\s:@]*+:[^/\s@]*+@|-----BEGIN")

_configured = False
_configure_lock = threading.Lock()


def _use_format_plugins() -> None:
    """Choose the plugins once per process.

    detect-secrets keeps its settings in a process-wide singleton and the engine is its
    only user here. transient_settings() per scan re-read the plugin list every time
    and was not thread-safe: a scan that ended restored the empty default settings
    under another thread's running scan, which then found nothing.
    """
    global _configured
    with _configure_lock:
        if _configured:
            return
        from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
        from detect_secrets.settings import get_settings

        classes = get_mapping_from_secret_type_to_class().values()
        get_settings().configure_plugins([{"name": c.__name__} for c in classes if c.__name__ not in LEFT_OUT])
        _configured = True


def scan_for_keys(text: str, literal_lines: set[int] | None = None) -> list[tuple[int, str]]:
    """(line number, secret type) for every known key format detect-secrets finds.

    `literal_lines`, when the script parsed: the lines whose strings, template strings,
    regular expressions or comments may hold a key; the other lines are code, where a
    long name (`metadata.account.username`) is not a key. When no line is left, the
    scan (and detect-secrets' ~0.2 s import, most of a one-bundle review) is skipped.
    """
    kept_lines = [line if MAY_HOLD_A_KEY.search(line) and (literal_lines is None or number in literal_lines) else ""
                  for number, line in enumerate(text.split("\n"), start=1)]
    if not any(kept_lines):
        return []
    from detect_secrets import SecretsCollection

    _use_format_plugins()
    kept = "\n".join(kept_lines)
    # The .js suffix matters: detect-secrets picks its rules by file extension.
    handle, path = tempfile.mkstemp(suffix=".js")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            f.write(kept)
        collection = SecretsCollection()
        collection.scan_file(path)
        return sorted({(secret.line_number, secret.type) for _, secret in collection})
    finally:
        os.unlink(path)
