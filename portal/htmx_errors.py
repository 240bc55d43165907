"""Error answers to htmx requests: one short line of plain text, never a page.

htmx swaps nothing for a 4xx/5xx answer; static/js/portal.js shows the answer's text in an
alert where the user acted. A whole error page (the navbar, the layout) would be read as
noise there, and a stack trace never leaves the server. Requests without htmx get the
portal's error pages (templates/400.html ...) as before.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.views import csrf, defaults


def is_htmx(request) -> bool:
    # The header itself: a 500 may come before django-htmx's middleware set request.htmx.
    return request.headers.get("HX-Request") == "true"


def plain_error(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def bad_request(request, exception):
    if is_htmx(request):
        return plain_error("The portal could not read this request. Reload the page and try again.", 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_htmx(request):
        return plain_error(
            "Not allowed: you do not have access to this. If you think you should, ask an admin of your company.", 403
        )
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_htmx(request):
        return plain_error(
            "Not found: this was deleted or moved, or it belongs to a company you are not a member of. Reload the page.",
            404,
        )
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_htmx(request):
        return plain_error("Something went wrong on our side; nothing you saved is lost. Try again in a minute.", 500)
    return defaults.server_error(request)


def csrf_failure(request, reason=""):
    """A form of a page open since before the user signed in again (the token changed)."""
    if is_htmx(request):
        return plain_error(
            "This page is out of date (you signed in or out since it opened). Reload the page and send again.", 403
        )
    return csrf.csrf_failure(request, reason)
