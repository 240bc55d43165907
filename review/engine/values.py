"""What a response offers and what a request carries, as text the data-flow scan compares.

values_of: the values of a sample response (JSON strings and numbers, CSV cells, XML
text). variants: a sent text as sent and decoded (URL-encoding, base64 at any
alignment, hex, hand-written escapes), so a value is found in its encoded forms
without encoding every value.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from itertools import chain
from urllib.parse import unquote_plus

KEY = 4  # the shortest text worth scanning (the data-flow index's key length)
XML_TEXT = re.compile(r">([^<]+)<|=\s*\"([^\"]*)\"|=\s*'([^']*)'")


def values_of(body: str) -> set[str]:
    """Every value a response offers, as text: JSON strings and numbers, CSV cells, XML text.

    The ones of 6 characters or more are the received data followed through requests;
    all of them may show that a response reached the rows (see ROWS_EVIDENCE).
    """
    text = body.strip()
    found: set[str] = set()
    if text[:1] in "[{":
        try:
            _json_values(text, found)
            return found
        except ValueError:
            pass
    if text[:1] == "<":
        for match in XML_TEXT.finditer(text):
            value = (match.group(1) or match.group(2) or match.group(3) or "").strip()
            if value:
                found.add(value)
        return found
    if '"' in text:
        found.update(chain.from_iterable(csv.reader(io.StringIO(text))))
    else:  # no quoting: the cells are what lies between commas and line ends
        found.update(text.replace("\r", "").replace("\n", ",").split(","))
    found.discard("")
    return found


def _json_values(text: str, found: set[str]) -> None:
    add = found.add
    stack = [json.loads(text)]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str:
            if item:
                add(item)
        elif kind is dict:
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        elif kind is int or kind is float:
            add(_js_number(item))


def _js_number(n) -> str:
    """The text JavaScript gives a number (String(n)) for the usual cases: 3, 2.5, 1e21."""
    if type(n) is float and n.is_integer() and abs(n) < 1e21:
        return str(int(n))
    return str(n)


JS_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})")
BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{8,}")
HEX_RUN = re.compile(r"(?:[0-9a-fA-F]{2}){4,}")


def variants(text: str) -> list[str]:
    """The text as sent, and decoded: URL-encoding, base64 (standard or URL-safe, at any
    alignment, so inside a longer blob too) and hex. A value is followed in all of its
    encoded forms by decoding what was sent rather than by encoding every value."""
    out = [text]
    if "%" in text or "+" in text:
        out.append(unquote_plus(text))
    if "\\u" in text or "\\x" in text:  # JSON or JavaScript escapes written by hand
        out.append(JS_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text))
    decoded = []
    for variant in out:
        for match in BASE64_RUN.finditer(variant):
            run = match.group()
            for piece in {run, *run.split("/")}:
                for offset in range(4):
                    chunk = piece[offset:]
                    if len(chunk) >= 6:
                        rest = len(chunk) % 4  # pad the end; a lone last character carries no byte
                        chunk = chunk[:-1] if rest == 1 else chunk + "=" * ((4 - rest) % 4)
                        try:
                            decoded.append(base64.b64decode(chunk.translate(URLSAFE), validate=True).decode("utf-8", "ignore"))
                        except ValueError:
                            pass
        for match in HEX_RUN.finditer(variant):
            run = match.group()
            for offset in (0, 1):
                chunk = run[offset:]
                chunk = chunk[: len(chunk) - len(chunk) % 2]
                decoded.append(bytes.fromhex(chunk).decode("utf-8", "ignore"))
    return out + [d for d in decoded if len(d) >= KEY]


URLSAFE = str.maketrans("-_", "+/")
