from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Commodity, ImportJob, Indicator, IndicatorLink, Target


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


class IndicatorLinkInline(admin.TabularInline):
    """The strategy directions and goals the indicator follows up, by the section's stable key
    (shown on the section's page in the strategy admin)."""

    model = IndicatorLink
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(ObjectPermissionsModelAdmin, SimpleHistoryAdmin):
    list_display = ["code", "name", "dimension", "unit", "owner", "is_example"]
    list_filter = ["dimension", "is_example", "frequency"]
    list_select_related = ["owner"]
    search_fields = ["code", "name"]
    inlines = [TargetInline, IndicatorLinkInline]


@admin.register(Commodity)
class CommodityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group", "unit", "source"]
    list_filter = ["group"]
    search_fields = ["code", "name"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """The log of every import; read-only, as a log should be."""

    list_display = [
        "file_name",
        "kind",
        "indicator",
        "status",
        "created",
        "updated",
        "unchanged",
        "refused",
        "started_by",
        "created_at",
    ]
    list_filter = ["kind", "status"]
    list_select_related = ["indicator", "started_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the import log is the audit of the rows each import wrote
