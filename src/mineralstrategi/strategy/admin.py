"""The admin for strategies and frameworks. A frozen version and its sections are shown read-only
to everyone, a superuser included: they cannot be changed or deleted here either."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    Framework,
    FrameworkItem,
    Section,
    SectionComment,
    SectionLink,
    Strategy,
    StrategyVersion,
)


def _is_frozen(obj) -> bool:
    if obj is None:
        return False
    version = obj if isinstance(obj, StrategyVersion) else obj.version
    return version.is_frozen


class FrozenReadOnlyMixin:
    """Refuses change and delete of anything in a frozen version; every field read-only there."""

    def has_change_permission(self, request, obj=None) -> bool:
        if _is_frozen(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if _is_frozen(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if _is_frozen(obj):
            return [field.name for field in self.model._meta.fields]
        return super().get_readonly_fields(request, obj)


class SectionLinkInline(admin.TabularInline):
    model = SectionLink
    extra = 0
    autocomplete_fields = ["item"]

    def _editable(self, request, obj) -> bool:
        return obj is not None and not _is_frozen(obj) and request.user.is_superuser

    def has_add_permission(self, request, obj=None) -> bool:
        return self._editable(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._editable(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._editable(request, obj)

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(Section)
class SectionAdmin(FrozenReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "dimension", "version", "position", "revision"]
    list_filter = ["kind", "dimension", "version__strategy"]
    list_select_related = ["version__strategy"]
    search_fields = ["title", "body_markdown"]
    readonly_fields = ["key", "revision", "updated_at", "updated_by"]
    inlines = [SectionLinkInline]
    raw_id_fields = ["parent", "version"]

    def save_model(self, request, obj, form, change):
        """An admin save is a change like any other: it bumps the revision, so that an editor's
        open form notices it, and is recorded with its author."""
        if change:
            obj.revision += 1
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(StrategyVersion)
class StrategyVersionAdmin(FrozenReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["strategy", "number", "label", "frozen_at", "frozen_by"]
    list_select_related = ["strategy", "frozen_by"]
    readonly_fields = ["number", "frozen_at", "frozen_by", "strategy"]

    def has_add_permission(self, request) -> bool:
        return False  # versions are made by freezing the working draft

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the working draft and the frozen versions are the strategy's record


@admin.register(Strategy)
class StrategyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "start_year", "end_year", "status", "is_example"]
    list_filter = ["status"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["partnership", "counties"]
    raw_id_fields = ["adopted_version"]

    def save_related(self, request, form, formsets, change):
        """A strategy saved here gets its working draft, as one set up in the pages does."""
        super().save_related(request, form, formsets, change)
        services.strategy_draft_ensure(form.instance, user=request.user)


@admin.register(SectionComment)
class SectionCommentAdmin(SimpleHistoryAdmin):
    list_display = ["section", "author", "created_at"]
    list_select_related = ["section", "author"]
    raw_id_fields = ["section"]


class SuperuserOnlyMixin:
    """Frameworks are kept in the pages (`strategy.change_framework`: the strategy editors of the
    owning organisation); here only a superuser adds, changes or deletes one, as for the
    frameworks loaded from the data files, which have no owner."""

    def has_add_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


class FrameworkItemInline(SuperuserOnlyMixin, admin.TabularInline):
    model = FrameworkItem
    extra = 0
    fields = ["code", "title_sv", "position"]
    show_change_link = True


@admin.register(Framework)
class FrameworkAdmin(SuperuserOnlyMixin, SimpleHistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "code", "kind", "owner", "is_example"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    inlines = [FrameworkItemInline]


@admin.register(FrameworkItem)
class FrameworkItemAdmin(SuperuserOnlyMixin, SimpleHistoryAdmin):
    list_display = ["code", "title_sv", "framework"]
    list_filter = ["framework"]
    search_fields = ["code", "title_sv", "title_en"]
    list_select_related = ["framework"]
    raw_id_fields = ["parent"]
