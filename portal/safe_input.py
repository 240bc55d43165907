"""Limits on what people may type or upload, the same on every database.

SQLite stores almost anything; PostgreSQL refuses a NUL character in text and in
jsonb, and Python's json parser recurses once per level of nesting. Without these
checks the same input saves on one database and answers 500 on the other, or
exhausts the stack. Each check returns a message a person can act on.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Deep enough for any manifest, sample or API body a connector needs; a real one is
# under ten levels.
MAX_JSON_DEPTH = 32
# A varchar(255) column; SQLite would store longer paths, PostgreSQL refuses them.
MAX_PATH_CHARS = 255

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NUL = "\x00"


class InputError(ValueError):
    """Bad input; str() is the message for the person, `where` the JSON path if any."""

    def __init__(self, message: str, where: tuple = ()):
        super().__init__(message)
        self.message = message
        self.where = where


def control_character_problem(text: str) -> str | None:
    """Why `text` cannot be a one-line value (a name, a label, an e-mail subject), or None."""
    match = _CONTROL.search(text)
    if not match:
        return None
    char = match.group()
    what = {"\n": "a line break", "\r": "a line break", "\t": "a tab", _NUL: "a NUL character"}.get(
        char, f"the control character U+{ord(char):04X}"
    )
    return f"contains {what} at character {match.start() + 1}; a one-line field cannot hold one"


# Any text a form or a URL may carry: line breaks and tabs belong in a text area, the
# other C0 controls never do, and PostgreSQL refuses NUL outright (a 500, not a message).
_DISALLOWED_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def text_problem(text: str) -> str | None:
    """Why `text` cannot be any form value or query parameter, or None."""
    match = _DISALLOWED_IN_TEXT.search(text)
    if not match:
        return None
    char = match.group()
    what = "a NUL character" if char == _NUL else f"the control character U+{ord(char):04X}"
    return f"contains {what} at character {match.start() + 1}"


def validate_one_line(value: Any) -> None:
    """A form field validator: refuse control characters in one-line text."""
    if isinstance(value, str):
        problem = control_character_problem(value)
        if problem:
            # Imported here: the bundle reader uses this module in review_bundle's
            # fast path, which runs without Django.
            from django.core.exceptions import ValidationError

            raise ValidationError(f"{problem[0].upper()}{problem[1:]}.", code="control_character")


def one_line_problems(value: Any) -> list[tuple[tuple, str]]:
    """(JSON path, problem) for every string in `value` that holds a control character."""
    found = []
    stack: list[tuple[tuple, Any]] = [((), value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            problem = control_character_problem(item)
            if problem:
                found.append((where, problem))
        elif isinstance(item, dict):
            stack.extend((where + (k,), v) for k, v in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((where + (i,), v) for i, v in reversed(list(enumerate(item))))
    return found


def json_problem(value: Any) -> InputError | None:
    """The first NUL character or over-deep nesting in a parsed JSON value, or None.

    Iterative, so it cannot itself run out of stack on what it is meant to refuse.
    """
    stack: list[tuple[Any, tuple, int]] = [(value, (), 1)]
    while stack:
        item, where, depth = stack.pop()
        if isinstance(item, str):
            if _NUL in item:
                return InputError("contains a NUL character (\\u0000); remove it", where)
            continue
        if not isinstance(item, (dict, list)):
            continue
        if depth > MAX_JSON_DEPTH:
            return InputError(f"is nested more than {MAX_JSON_DEPTH} levels deep; flatten it", where)
        if isinstance(item, dict):
            for key in reversed(list(item)):
                if isinstance(key, str) and _NUL in key:
                    return InputError("has a key with a NUL character (\\u0000); rename it", where)
                stack.append((item[key], where + (key,), depth + 1))
        else:
            stack.extend((element, where + (i,), depth + 1) for i, element in reversed(list(enumerate(item))))
    return None


def loads(text: str | bytes) -> Any:
    """json.loads that refuses NaN, NUL characters and over-deep nesting with InputError.

    json.JSONDecodeError (a ValueError) still comes out for text that is not JSON, so
    callers can say at which line and column.
    """
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise InputError(f"is nested more than {MAX_JSON_DEPTH} levels deep; flatten it") from None
    problem = json_problem(value)
    if problem:
        raise problem
    return value


def _refuse_constant(name: str) -> None:
    raise InputError(f"{name} is not a JSON number; write a number or a string")


def one_line_fields(form_class):
    """Class decorator: every single-line text input of the form refuses control characters.

    One place, so a field added later is covered without anyone remembering to.
    """
    from django import forms
    from django.forms.widgets import Input

    for field in form_class.base_fields.values():
        widget = field.widget
        one_line = isinstance(widget, Input) and not isinstance(widget, (forms.HiddenInput, forms.FileInput))
        if isinstance(field, forms.CharField) and one_line:  # text, password, e-mail, URL inputs
            if validate_one_line not in field.validators:
                field.validators.append(validate_one_line)
    return form_class
