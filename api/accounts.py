"""The user's settings page: create and revoke personal access tokens for the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from api import selectors, services
from portal.errors import PortalError


def _page(request, *, new_token=None, error=None, name="", status=200):
    context = {
        "tokens": selectors.api_token_list_for_user(request.user),
        "new_token": new_token,
        "error": error,
        "name": name,
    }
    return render(request, "accounts/settings.html", context, status=status)


@never_cache
@login_required
def settings_page(request):
    return _page(request)


@never_cache
@login_required
@require_POST
def token_create(request):
    name = request.POST.get("name", "")
    try:
        record, token = services.api_token_create(user=request.user, name=name)
    except PortalError as error:
        return _page(request, error=error.message, name=name, status=400)
    # Rendered rather than redirected: the plaintext may not be kept anywhere, not
    # even in the session for one request, so this response is the only place it exists.
    return _page(request, new_token=(record, token))


@login_required
@require_POST
def token_revoke(request, pk):
    record = selectors.api_token_get_for_user(request.user, pk)
    try:
        services.api_token_revoke(token=record)
    except PortalError as error:
        messages.info(request, error.message)
    else:
        messages.success(request, f"Revoked the token “{record.name}”: pipelines using it now get 401.")
    return redirect("accounts:settings")
