"""Scripts with their findings at their lines: the one renderer of the developers' View
Code and the engineers' admin page, with one anchor per line (line_anchor).

Highlighting a large script costs ~150 ms and its HTML is 8-10x the source, so the
highlighted lines are cached per script version (the submission's content hash names
the snapshot; a submission never changes its scripts). Findings are woven in on every
request because a review can add them after the first view; that part is a cheap join.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import JavascriptLexer

CACHE_VERSION = 1
CACHE_SECONDS = 60 * 60 * 24 * 7
STYLE = "default"


def line_anchor(path: str, line: int | None) -> str:
    """The id of line `line` of script `path`, unique on a page that shows several scripts."""
    if not line:
        return ""
    return "code-" + re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") + f"-L{line}"


def cache_key(content_hash: str, path: str) -> str:
    path_digest = hashlib.sha256(path.encode()).hexdigest()[:16]
    return f"code-viewer:v{CACHE_VERSION}:{content_hash}:{path_digest}"


def highlight_lines(source: str) -> list[str]:
    """One HTML string per source line, each with its spans closed (Pygments splits
    multi-line tokens per line), so lines can be wrapped and annotated one by one."""
    # stripnl=False keeps leading blank lines, or every line number after them would be off.
    lexer = JavascriptLexer(stripnl=False, ensurenl=True)
    html = highlight(source, lexer, HtmlFormatter(nowrap=True))
    lines = html.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def cached_lines(content_hash: str, path: str, source: str) -> list[str]:
    key = cache_key(content_hash, path)
    lines = cache.get(key)
    if lines is None:
        lines = highlight_lines(source)
        cache.set(key, lines, CACHE_SECONDS)
    return lines


@dataclass
class Script:
    path: str
    html: SafeString
    line_count: int
    finding_count: int


def _finding_html(finding, edit_url: str = "") -> str:
    return render_to_string("review/_code_finding.html", {"finding": finding, "edit_url": edit_url})


def render_script(submission, path: str, findings, edit_url: str = "") -> Script:
    """The script at `path` of the submission as HTML, each finding under its line.

    A finding without a line, or past the end, is shown at the top. With `edit_url` (the
    editor, when the connector is editable) each finding at a line links to that line there.
    """
    source = submission.scripts[path]
    lines = cached_lines(submission.content_hash, path, source)
    at_line = defaultdict(list)
    loose = []
    for finding in findings:
        if finding.file != path:
            continue
        if finding.line and 1 <= finding.line <= len(lines):
            at_line[finding.line].append(finding)
        else:
            loose.append(finding)

    parts = ['<div class="code-view highlight">']
    parts.extend(_finding_html(f) for f in loose)
    for number, line_html in enumerate(lines, start=1):
        flagged = " code-line-flagged" if number in at_line else ""
        anchor = line_anchor(path, number)
        parts.append(
            f'<div class="code-line{flagged}" id="{anchor}">'
            f'<a class="code-lineno" href="#{anchor}" aria-hidden="true">{number}</a>'
            f'<span class="code-src">{line_html or " "}</span></div>'
        )
        parts.extend(_finding_html(f, edit_url) for f in at_line.get(number, ()))
    parts.append("</div>")
    finding_count = len(loose) + sum(len(v) for v in at_line.values())
    return Script(path=path, html=mark_safe("".join(parts)), line_count=len(lines), finding_count=finding_count)


def style_css() -> str:
    """The Pygments part of static/css/code.css (regenerate with this if STYLE changes)."""
    return HtmlFormatter(style=STYLE).get_style_defs(".highlight")

