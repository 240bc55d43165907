"""Engineers see the live runs of connectors (read-only; never an account's values)."""

from django.contrib import admin

from portal.admin import EngineerOnlyAdmin
from runs.models import LiveRun


@admin.register(LiveRun)
class LiveRunAdmin(EngineerOnlyAdmin):
    list_display = ("pk", "submission", "kind", "report", "user", "status", "rows", "requests", "bytes",
                    "duration_seconds", "created_at")
    list_filter = ("status", "kind")
    search_fields = ("submission__connector__name", "user__username")
    fields = ("submission", "kind", "report", "parameters", "user", "company", "status", "outcome", "rows", "requests",
              "bytes", "duration_seconds", "columns", "log_lines", "created_at", "started_at", "finished_at")
    readonly_fields = fields
