"""A signed-out htmx request goes to sign-in as a whole page, and comes back to that page.

login_required answers a signed-out user with a 302 to the sign-in page. For an htmx
request (a polled part, Check now's results) the browser follows that 302 itself and htmx
swaps the whole sign-in page INTO the part, and ?next= names the part, not the page. So
every such redirect is turned, here in one place, into a 401 with HX-Redirect (htmx then
loads the sign-in page as the whole page) whose ?next= is the page the user is on
(HX-Current-URL), when that page is on this site.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

from portal.htmx_errors import is_htmx


def page_the_user_is_on(request) -> str:
    """The path (and query) of the page that sent this htmx request; "" if not on this site."""
    current = request.headers.get("HX-Current-URL", "")
    if not current or not url_has_allowed_host_and_scheme(
        current, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(current)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def is_redirect_to_login(response) -> bool:
    if response.status_code != 302:
        return False
    return urlsplit(response.get("Location", "")).path == urlsplit(resolve_url(settings.LOGIN_URL)).path


def sign_in_whole_page(request) -> HttpResponseClientRedirect:
    page = page_the_user_is_on(request)
    login_url = redirect_to_login(page)["Location"] if page else resolve_url(settings.LOGIN_URL)
    response = HttpResponseClientRedirect(login_url, content="Signed out: sign in again.")
    # 401, not htmx's usual 200: no success handler (nor a cache) takes it for the part.
    # htmx follows HX-Redirect before it looks at the status, so it raises no error event.
    response.status_code = 401
    response["Content-Type"] = "text/plain; charset=utf-8"
    return response


class HtmxSignInMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if is_htmx(request) and not (user and user.is_authenticated) and is_redirect_to_login(response):
            return sign_in_whole_page(request)
        return response
