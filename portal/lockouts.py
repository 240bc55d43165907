"""Sign-in lockout (django-axes): the backend and the page a locked-out person sees.
(The engineers' page to unlock an account is in portal/admin.py.)

Axes counts failed sign-ins per username; its middleware turns the attempt that hits
the limit, and every one after it, into lockout_response.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check, except where no request exists (a shell, a management command):
    there is no one to throttle there, and Axes would refuse the call outright."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(request, original_response=None, credentials=None):
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    context = {
        "username": username,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": lockout_minutes(),
    }
    return render(request, "registration/locked_out.html", context, status=429)
