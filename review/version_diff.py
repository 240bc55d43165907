"""What changed between two versions of a connector: scripts, manifest, icons, samples.

Engineers review every new version; after an approval they should read only what
changed since, as Mozilla's add-on reviewers do. The diff is built from the two
bundles (never from the live connector), scripts as line diffs with unchanged context
folded, the manifest key by key with hosts first (hosts are where data may go).

line_origins() is the same line matching used the other way round: for each line of
the new script, the line it was in the approved version, so a finding on it can say
"unchanged since version 3".
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass, field

from django.core.cache import cache

from connectors.bundle.types import ICONS, MANIFEST, Bundle
from review.code_viewer import highlight_lines

CONTEXT = 3  # unchanged lines shown around each change; the rest is folded
CACHE_VERSION = 1
CACHE_SECONDS = 60 * 60 * 24 * 7
# Keys shown on their own line (scripts and samples have their own sections).
MANIFEST_KEYS = ("name", "description", "auth", "reports", "parameters", "scripts")


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "add" or "del"
    old_no: int | None
    new_no: int | None
    html: str  # highlighted source of the line, safe to insert


@dataclass(frozen=True)
class Hunk:
    folded_before: int  # unchanged lines hidden before this hunk
    lines: tuple[DiffLine, ...]

    def split_rows(self) -> list[tuple[DiffLine | None, DiffLine | None]]:
        """Side-by-side rows: removed lines on the left, added on the right, paired in order."""
        rows: list[tuple[DiffLine | None, DiffLine | None]] = []
        dels: list[DiffLine] = []
        adds: list[DiffLine] = []

        def flush():
            for i in range(max(len(dels), len(adds))):
                rows.append((dels[i] if i < len(dels) else None, adds[i] if i < len(adds) else None))
            dels.clear()
            adds.clear()

        for line in self.lines:
            if line.kind == "same":
                flush()
                rows.append((line, line))
            else:
                (dels if line.kind == "del" else adds).append(line)
        flush()
        return rows


@dataclass(frozen=True)
class ScriptDiff:
    path: str
    status: str  # "added", "removed", "changed" or "unchanged"
    hunks: tuple[Hunk, ...] = ()
    added: int = 0
    removed: int = 0
    folded_after: int = 0


@dataclass(frozen=True)
class KeyChange:
    key: str
    kind: str  # "added", "removed" or "changed"
    old: str  # JSON text, "" when added
    new: str  # JSON text, "" when removed


@dataclass(frozen=True)
class VersionDiff:
    base_number: int
    number: int
    hosts_added: tuple[str, ...]
    hosts_removed: tuple[str, ...]
    manifest: tuple[KeyChange, ...]
    scripts: tuple[ScriptDiff, ...]
    icons: tuple[tuple[str, bool], ...]  # (icon key, changed)
    samples_changed: bool
    sample_files: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (path, added/removed/changed)

    @property
    def has_changes(self) -> bool:
        return bool(self.hosts_added or self.hosts_removed or self.manifest or self.samples_changed
                    or any(s.status != "unchanged" for s in self.scripts) or any(c for _k, c in self.icons))

    @property
    def changed_scripts(self) -> list[ScriptDiff]:
        return [script for script in self.scripts if script.status != "unchanged"]


# -- scripts ------------------------------------------------------------------------------


def _lines(text: str | None) -> list[str]:
    return (text or "").splitlines()


def _matcher(old: list[str], new: list[str]) -> difflib.SequenceMatcher:
    # autojunk off: in a long script, common lines such as "}" must still match.
    return difflib.SequenceMatcher(None, old, new, autojunk=False)


def script_diff(path: str, old_text: str | None, new_text: str | None) -> ScriptDiff:
    if old_text == new_text:
        return ScriptDiff(path, "unchanged")
    status = "added" if old_text is None else "removed" if new_text is None else "changed"
    old, new = _lines(old_text), _lines(new_text)
    old_html = highlight_lines(old_text) if old_text else []
    new_html = highlight_lines(new_text) if new_text else []
    hunks: list[Hunk] = []
    added = removed = 0
    last_old = 0  # first old line (0-based) not yet shown or folded
    for group in _matcher(old, new).get_grouped_opcodes(CONTEXT):
        first_old = group[0][1]
        lines: list[DiffLine] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine("same", i + 1, j1 + (i - i1) + 1, new_html[j1 + i - i1]) for i in range(i1, i2)]
                continue
            if tag in ("replace", "delete"):
                lines += [DiffLine("del", i + 1, None, old_html[i]) for i in range(i1, i2)]
                removed += i2 - i1
            if tag in ("replace", "insert"):
                lines += [DiffLine("add", None, j + 1, new_html[j]) for j in range(j1, j2)]
                added += j2 - j1
        hunks.append(Hunk(first_old - last_old, tuple(lines)))
        last_old = group[-1][2]
    return ScriptDiff(path, status, tuple(hunks), added, removed, max(len(old) - last_old, 0))


def line_origins(old_text: str | None, new_text: str) -> dict[int, int]:
    """New line number -> old line number, for every new line that is unchanged (1-based)."""
    origins: dict[int, int] = {}
    if old_text is None:
        return origins
    for tag, i1, i2, j1, j2 in _matcher(_lines(old_text), _lines(new_text)).get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                origins[j1 + offset + 1] = i1 + offset + 1
    return origins


# -- manifest, icons, samples -------------------------------------------------------------


def _json(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)


def _manifest_changes(old: dict, new: dict) -> list[KeyChange]:
    changes = []
    for key in MANIFEST_KEYS:
        if key in old and key not in new:
            changes.append(KeyChange(key, "removed", _json(old[key]), ""))
        elif key in new and key not in old:
            changes.append(KeyChange(key, "added", "", _json(new[key])))
        elif key in new and old[key] != new[key]:
            changes.append(KeyChange(key, "changed", _json(old[key]), _json(new[key])))
    return changes


def _samples_changes(old: Bundle, new: Bundle) -> tuple[bool, list[tuple[str, str]]]:
    files = []
    paths = {p for p in (*old.files, *new.files) if p.startswith("samples/")}
    for path in sorted(paths):
        if path not in old.files:
            files.append((path, "added"))
        elif path not in new.files:
            files.append((path, "removed"))
        elif old.files[path] != new.files[path]:
            files.append((path, "changed"))
    manifest_changed = old.manifest.get("samples") != new.manifest.get("samples")
    return bool(files) or manifest_changed, files


def version_diff(old: Bundle, new: Bundle, base_number: int, number: int) -> VersionDiff:
    old_hosts = [h for h in old.manifest.get("hosts") or [] if isinstance(h, str)]
    new_hosts = [h for h in new.manifest.get("hosts") or [] if isinstance(h, str)]
    old_scripts, new_scripts = old.scripts(), new.scripts()
    main = list(new.script_paths().values())
    paths = sorted(set(old_scripts) | set(new_scripts), key=lambda p: (p not in main, main.index(p) if p in main else 0, p))
    samples_changed, sample_files = _samples_changes(old, new)
    return VersionDiff(
        base_number=base_number,
        number=number,
        hosts_added=tuple(h for h in new_hosts if h not in old_hosts),
        hosts_removed=tuple(h for h in old_hosts if h not in new_hosts),
        manifest=tuple(_manifest_changes(old.manifest, new.manifest)),
        scripts=tuple(script_diff(p, old_scripts.get(p), new_scripts.get(p)) for p in paths),
        icons=tuple((key, old.icon(key) != new.icon(key)) for key in ICONS),
        samples_changed=samples_changed,
        sample_files=tuple(sample_files),
    )


def cached_version_diff(old_hash: str, new_hash: str, build) -> VersionDiff:
    """build(), cached by the two content hashes: a version's bundle never changes, so the
    bundles are unpacked and highlighted once, not on every page view."""
    digest = hashlib.sha256(f"{old_hash}:{new_hash}".encode()).hexdigest()[:32]
    key = f"version-diff:v{CACHE_VERSION}:{digest}"
    diff = cache.get(key)
    if diff is None:
        diff = build()
        cache.set(key, diff, CACHE_SECONDS)
    return diff


__all__ = ["MANIFEST", "VersionDiff", "cached_version_diff", "line_origins", "script_diff", "version_diff"]
