"""Sign-in lockout (django-axes): the backend, the page a locked-out person sees, and
the engineers' admin page to unlock an account.

Axes counts failed sign-ins per username; its middleware turns the attempt that hits
the limit, and every one after it, into lockout_response.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import render

from portal.admin import EngineerOnlyAdmin


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


@admin.register(AccessAttempt)
class LoginLockoutAdmin(EngineerOnlyAdmin):
    """Failed sign-ins per username; Unlock lets the person try again at once."""

    list_display = ["username", "failures_since_start", "locked", "attempt_time", "ip_address"]
    search_fields = ["username"]
    ordering = ["-attempt_time"]
    actions = ["unlock"]
    fields = ["username", "failures_since_start", "attempt_time", "ip_address", "user_agent"]

    @admin.display(boolean=True, description="Locked")
    def locked(self, obj) -> bool:
        return obj.failures_since_start >= settings.AXES_FAILURE_LIMIT

    @admin.action(description="Unlock: forget the failed sign-ins of the selected usernames")
    def unlock(self, request, queryset):
        usernames = sorted({attempt.username for attempt in queryset if attempt.username})
        for username in usernames:
            reset(username=username)
        self.message_user(request, f"Unlocked {', '.join(usernames)}; they can sign in again now.",
                          messages.SUCCESS)

    def has_change_permission(self, request, obj=None):
        # The admin shows actions only to those who may change; the rows stay read-only
        # because every field is listed in get_readonly_fields.
        return self.has_view_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return self.fields
