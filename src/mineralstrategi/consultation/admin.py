"""The admin of consultations: for superusers only (support and set-up). Municipal and other staff
work through the pages, where every object is permission-checked; answers are read-only here, as a
submitted answer is a public document and a draft belongs to its organisation."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import Answer, AnswerComment, ConsultationRound, Consultee, Disposition, Meeting


class SuperuserOnlyAdmin(SimpleHistoryAdmin):
    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(SuperuserOnlyAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ConsulteeInline(admin.TabularInline):
    model = Consultee
    fields = ["organisation", "invited_at", "extended_deadline", "declined_at", "answer_number"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ConsultationRound)
class ConsultationRoundAdmin(SuperuserOnlyAdmin):
    list_display = ["title", "registry_number", "status", "opens_on", "deadline"]
    list_filter = ["status"]
    search_fields = ["title", "registry_number"]
    readonly_fields = ["status", "sent_at", "last_answer_number"]
    raw_id_fields = ["version"]
    inlines = [ConsulteeInline]


class AnswerCommentInline(admin.TabularInline):
    model = AnswerComment
    fields = ["section", "stance", "comment", "proposed_text"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "consultee", "revision", "status", "submitted_at"]
    list_filter = ["status"]
    list_select_related = ["consultee__organisation", "consultee__round"]
    inlines = [AnswerCommentInline]


@admin.register(Disposition)
class DispositionAdmin(ReadOnlyAdmin):
    list_display = ["comment", "public_comment", "decision", "decided_at", "applied_at"]
    list_filter = ["decision"]


@admin.register(Meeting)
class MeetingAdmin(SuperuserOnlyAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "round", "held_at", "place"]
    filter_horizontal = ["participants"]
    raw_id_fields = ["sections"]
