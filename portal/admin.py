"""The admin base every app's engineers' pages build on."""

from django.contrib import admin

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


# The sign-in lockout page (django-axes): an engineers-only admin on the base above.
from portal import lockouts  # noqa: E402,F401
