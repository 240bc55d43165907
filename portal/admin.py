"""The admin base every app's engineers' pages build on, and the sign-in lockouts page."""

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import admin, messages

from portal.permissions import user_is_review_engineer


class EngineerOnlyAdmin(admin.ModelAdmin):
    """Visible to review engineers and superusers only; read-only unless a subclass allows more."""

    def has_module_permission(self, request):
        return user_is_review_engineer(request.user)

    def has_view_permission(self, request, obj=None):
        return user_is_review_engineer(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False



# The sign-in lockouts (django-axes, portal/lockouts.py), for engineers to unlock.
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
