"""Bearer-token authentication and the error wrapper every API view shares.

The API authenticates with tokens only, never the session cookie: that is what makes
it safe to exempt these views from CSRF (a browser cannot attach the header by itself).
"""

from __future__ import annotations

import logging
from functools import wraps

from django.http import Http404
from django.views.decorators.csrf import csrf_exempt

from api.serializers import error_response, portal_error_response
from api.services import api_token_authenticate
from portal.errors import PortalError

logger = logging.getLogger(__name__)


def _bearer(request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def api_view(*methods: str):
    """Authenticate by token, allow `methods`, and turn refusals into JSON errors."""

    def decorator(view):
        @csrf_exempt
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            token = _bearer(request)
            record = api_token_authenticate(token) if token else None
            if record is None:
                response = error_response(
                    "Send a valid personal access token as 'Authorization: Bearer <token>'; "
                    "create one on your settings page (/accounts/settings/)."
                    if token is None
                    else "This token is unknown or was revoked; create a new one on your settings page.",
                    401,
                )
                response["WWW-Authenticate"] = 'Bearer realm="api"'
                return response
            if request.method not in methods:
                response = error_response(f"Use {' or '.join(methods)} on this URL.", 405)
                response["Allow"] = ", ".join(methods)
                return response
            request.user = record.user
            request.api_token = record
            try:
                return view(request, *args, **kwargs)
            except Http404 as missing:
                return error_response(str(missing) or "Not found.", 404)
            except PortalError as refused:
                return portal_error_response(refused)
            except Exception:
                # A pipeline reads JSON: a crash gets a JSON 500 (the trace goes to the log only).
                logger.exception("API view %s failed", view.__name__)
                return error_response("Something went wrong on our side; try again in a moment.", 500)

        return wrapped

    return decorator
