from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ActionPlan,
    FundingSource,
    ImplementationSettings,
    Initiative,
    InitiativeSection,
    Milestone,
    ModerationDecision,
    ProgressUpdate,
)


class FundingInline(admin.TabularInline):
    model = FundingSource
    extra = 0


class SectionInline(admin.TabularInline):
    model = InitiativeSection
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class UpdateInline(admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    autocomplete_fields = ()
    raw_id_fields = ("author",)


class ModerationInline(admin.TabularInline):
    """The moderation history, read only: decisions are made on the pages (the services)."""

    model = ModerationDecision
    extra = 0
    can_delete = False
    fields = readonly_fields = ("decided_at", "decision", "decided_by", "reason")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
    list_display = (
        "title",
        "lead_organisation",
        "strategy",
        "status",
        "progress",
        "moderation",
        "approved_at",
    )
    list_filter = ("strategy", "status", "moderation", "is_example")
    search_fields = ("title", "lead_organisation__name")
    raw_id_fields = ("lead_organisation", "approved_by", "created_by")
    filter_horizontal = ("partners", "municipalities", "action_plans")
    inlines = [SectionInline, FundingInline, MilestoneInline, UpdateInline, ModerationInline]


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin):
    list_display = ("title", "strategy", "first_year", "last_year")
    list_filter = ("strategy",)


@admin.register(ImplementationSettings)
class ImplementationSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("strategy", "weighting")
