from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AdoptedReport, FollowupReport


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


@admin.register(AdoptedReport)
class AdoptedReportAdmin(SimpleHistoryAdmin):
    """The adopted yearly reports: documents of record, read-only here (adopted through the
    follow-up's pages, never changed or deleted)."""

    list_display = ["strategy", "year", "state", "body", "decided_on", "reference", "pdf_status"]
    list_filter = ["state", "pdf_status", "year"]
    list_select_related = ["strategy"]
    exclude = ["content_html", "print_html"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
