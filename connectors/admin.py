"""Admin for companies, memberships and connectors.

The admin belongs to review engineers (portal.permissions.user_is_review_engineer):
other staff see nothing and get 403. Connectors are read-only here because every
change must go through connectors.services (locking, history); the OAuth client
secret is never shown.
"""

from django.contrib import admin

from connectors.models import Company, Connector, Membership
from portal.admin import EngineerOnlyAdmin
from portal.permissions import user_is_review_engineer


class SuperuserEditsMixin:
    """Engineers read; superusers also manage (companies and who belongs to them).

    A mixin because the membership inline needs the same rules and is not a ModelAdmin;
    obj is optional since inlines pass it to has_add_permission and admins do not.
    """

    def has_add_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class SuperuserEditsAdmin(SuperuserEditsMixin, EngineerOnlyAdmin):
    pass


class MembershipInline(SuperuserEditsMixin, admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]

    def has_view_permission(self, request, obj=None):
        return user_is_review_engineer(request.user)


@admin.register(Company)
class CompanyAdmin(SuperuserEditsAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SuperuserEditsAdmin):
    list_display = ["user", "company"]
    list_filter = ["company"]
    list_select_related = ["user", "company"]
    search_fields = ["user__username", "user__email", "company__name"]
    raw_id_fields = ["user"]


@admin.register(Connector)
class ConnectorAdmin(EngineerOnlyAdmin):
    list_display = ["name", "company", "auth_method", "updated_at"]
    list_filter = ["auth_method", "company"]
    list_select_related = ["company"]
    search_fields = ["name", "company__name"]
    # The secret is excluded outright (not just read-only) so it is never rendered.
    exclude = ["oauth2_client_secret"]

    def get_queryset(self, request):
        # Deferred so the secret is not even decrypted into memory for these pages.
        return super().get_queryset(request).defer("oauth2_client_secret")
