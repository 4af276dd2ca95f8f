from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Comment, Event, EventRegistration, NewsArticle, Tag


@admin.register(NewsArticle)
class NewsArticleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "published_at", "organisation", "is_example"]
    list_filter = ["status", "is_example"]
    search_fields = ["title", "lead"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organisation", "contacts", "press_contact"]
    filter_horizontal = ["tags"]


class RegistrationInline(admin.TabularInline):
    model = EventRegistration
    extra = 0
    fields = ["name", "email", "organisation_name", "status", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["title", "starts_at", "place", "capacity", "status"]
    list_filter = ["status"]
    search_fields = ["title", "place"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [RegistrationInline]


@admin.register(Comment)
class CommentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "status", "open_reports", "created_at", "article", "strategy"]
    list_filter = ["status"]
    search_fields = ["name", "email", "body"]
    readonly_fields = ["created_at", "moderated_at", "moderated_by"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
