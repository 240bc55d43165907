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
from review.pages.code_viewer import highlight_lines

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


MAX_DIFF_CELLS = 20_000  # old lines x new lines that difflib compares at once (its cost grows faster than that)
ANCHOR_LEVELS = 3  # rounds of anchoring on lines unique to both sides before a gap is shown as replaced


class _BoundedMatcher(difflib.SequenceMatcher):
    """difflib's opcodes (and grouping) with bounded work whatever the scripts hold.

    difflib with autojunk off, needed so that "}" lines still match, took 38 s on two
    1,000-line scripts of alternating repeated lines. Here it only ever sees small gaps:
    common ends are trimmed, lines that occur once in both versions anchor the rest
    (patience diff, O(n log n)), and a gap still too large after that is shown as
    replaced: a coarser diff, never a page that does not come back.
    """

    def __init__(self, old: list[str], new: list[str]) -> None:  # noqa: D107 - no chain_b: never used
        self.a, self.b = old, new
        self.opcodes = None

    def get_opcodes(self):
        if self.opcodes is None:
            out: list[list] = []
            _diff(self.a, 0, len(self.a), self.b, 0, len(self.b), ANCHOR_LEVELS, out)
            self.opcodes = [tuple(code) for code in out]
        return self.opcodes


def _emit(out: list, tag: str, i1: int, i2: int, j1: int, j2: int) -> None:
    if i1 == i2 and j1 == j2:
        return
    if out and out[-1][0] == tag and out[-1][2] == i1 and out[-1][4] == j1:
        out[-1][2], out[-1][4] = i2, j2
    else:
        out.append([tag, i1, i2, j1, j2])


def _diff(a, a1, a2, b, b1, b2, levels, out) -> None:
    while a1 < a2 and b1 < b2 and a[a1] == b[b1]:
        _emit(out, "equal", a1, a1 + 1, b1, b1 + 1)
        a1, b1 = a1 + 1, b1 + 1
    tail = 0
    while a2 - tail > a1 and b2 - tail > b1 and a[a2 - tail - 1] == b[b2 - tail - 1]:
        tail += 1
    e1, e2 = a2 - tail, b2 - tail
    if a1 == e1 or b1 == e2:
        _emit(out, "delete" if b1 == e2 else "insert", a1, e1, b1, e2)
    elif (e1 - a1) * (e2 - b1) <= MAX_DIFF_CELLS:
        # autojunk off: in a long script, common lines such as "}" must still match.
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a[a1:e1], b[b1:e2], autojunk=False).get_opcodes():
            _emit(out, tag, a1 + i1, a1 + i2, b1 + j1, b1 + j2)
    else:
        anchors = _unique_anchors(a, a1, e1, b, b1, e2) if levels > 0 else []
        if not anchors:
            _emit(out, "replace", a1, e1, b1, e2)
        else:
            i, j = a1, b1
            for ai, bj in anchors:
                _diff(a, i, ai, b, j, bj, levels - 1, out)
                _emit(out, "equal", ai, ai + 1, bj, bj + 1)
                i, j = ai + 1, bj + 1
            _diff(a, i, e1, b, j, e2, levels - 1, out)
    if tail:
        _emit(out, "equal", a2 - tail, a2, b2 - tail, b2)


def _unique_anchors(a, a1, a2, b, b1, b2) -> list[tuple[int, int]]:
    """(old, new) positions of lines that occur once on each side, in an order both keep
    (the longest increasing run of new positions, by patience sorting)."""
    from bisect import bisect_left

    def once(lines, lo, hi):
        seen: dict[str, int] = {}
        for k in range(lo, hi):
            seen[lines[k]] = -1 if lines[k] in seen else k
        return {line: k for line, k in seen.items() if k >= 0}

    old_once, new_once = once(a, a1, a2), once(b, b1, b2)
    pairs = [(i, new_once[line]) for line, i in sorted(old_once.items(), key=lambda item: item[1]) if line in new_once]
    tops: list[int] = []  # smallest last new position of an increasing run of each length
    top_at: list[int] = []  # index into pairs of that run's last pair
    back: list[int] = []
    for n, (_, j) in enumerate(pairs):
        k = bisect_left(tops, j)
        if k == len(tops):
            tops.append(j)
            top_at.append(n)
        else:
            tops[k], top_at[k] = j, n
        back.append(top_at[k - 1] if k else -1)
    run, n = [], top_at[-1] if top_at else -1
    while n >= 0:
        run.append(pairs[n])
        n = back[n]
    return run[::-1]


def _matcher(old: list[str], new: list[str]) -> difflib.SequenceMatcher:
    return _BoundedMatcher(old, new)


def _same_but_line_endings(old_text: str | None, new_text: str | None) -> bool:
    # Versions saved before the editor stored LF (or a zip from Windows) differ from the
    # next one in their line endings alone: nothing an engineer needs to read.
    if old_text is None or new_text is None:
        return old_text == new_text
    def lf(text: str) -> str:
        return text.replace("\r\n", "\n").replace("\r", "\n")

    return lf(old_text) == lf(new_text)


def script_diff(path: str, old_text: str | None, new_text: str | None) -> ScriptDiff:
    if old_text == new_text or _same_but_line_endings(old_text, new_text):
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
