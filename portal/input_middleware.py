"""One input layer for every form and query parameter: no NUL or other control characters.

PostgreSQL refuses a NUL in text, so a NUL typed into an answer, a note or the Develop
search was a 500 there while SQLite stored it. Checking each form and each view would
leave the next one uncovered; this middleware looks at every GET parameter, every
posted form field (Django already cleans uploaded file names) before any view runs, and answers 400
with a message that names the field. JSON bodies (the API) are checked by
safe_input.loads where they are parsed.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render

from portal.htmx_errors import is_htmx, plain_error
from portal.safe_input import text_problem

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def input_problem(request) -> str | None:
    """A message naming the first parameter or field that holds a disallowed character."""
    sources = [("query parameter", request.GET)]
    if request.method == "POST" and request.content_type in FORM_TYPES:
        try:
            sources.append(("field", request.POST))
        except Exception:  # noqa: BLE001 - a body Django cannot parse is the view's to refuse, as before
            return None
    for kind, values in sources:
        for field, items in values.lists():
            problem = text_problem(field)
            if problem:
                return f"The name of a {kind} {problem}; remove it and send again."
            for value in items:
                problem = text_problem(value)
                if problem:
                    return f"The {kind} {field!r} {problem}; remove it and send again."
    return None


class ControlCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        message = input_problem(request)
        if message is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"error": message, "field": None}, status=400)
        if is_htmx(request):  # shown where the user acted (static/js/portal.js)
            return plain_error(message, 400)
        return render(request, "400.html", {"message": message}, status=400)
