from django.contrib import admin

from .models import FollowupReport


@admin.register(FollowupReport)
class FollowupReportAdmin(admin.ModelAdmin):
    """The log of follow-up reports made; read-only."""

    list_display = ["strategy", "year", "status", "progress", "requested_by", "created_at"]
    list_filter = ["status", "year"]
    list_select_related = ["strategy", "requested_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
