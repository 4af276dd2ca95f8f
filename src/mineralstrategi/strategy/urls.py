from django.urls import path

from . import views

app_name = "strategy"

urlpatterns = [
    path("strategi/", views.strategy_list, name="list"),
    path("strategi/ny/", views.strategy_setup, name="setup"),
    path("strategi/<slug:slug>/", views.strategy_detail, name="detail"),
    path("strategi/<slug:slug>/utkast/", views.draft, name="draft"),
    path("strategi/<slug:slug>/utkast/nytt-avsnitt/", views.section_create, name="section_create"),
    path("strategi/<slug:slug>/frys/", views.version_freeze, name="freeze"),
    path("strategi/<slug:slug>/avsnitt/<int:pk>/", views.section_edit, name="section_edit"),
    path(
        "strategi/<slug:slug>/avsnitt/<int:pk>/kommentar/",
        views.section_comment,
        name="section_comment",
    ),
    path(
        "strategi/<slug:slug>/avsnitt/<int:pk>/koppling/", views.section_link, name="section_link"
    ),
    path(
        "strategi/<slug:slug>/avsnitt/<int:pk>/historik/",
        views.section_history,
        name="section_history",
    ),
    path("strategi/<slug:slug>/version/<int:number>/", views.version_detail, name="version"),
    path("strategi/<slug:slug>/version/<int:number>/pdf/", views.version_pdf, name="version_pdf"),
    path(
        "strategi/<slug:slug>/version/<int:number>/anta/", views.version_adopt, name="version_adopt"
    ),
    path("strategi/<slug:slug>/publicerad/", views.published, name="published"),
    path("strategi/<slug:slug>/jamfor/", views.compare, name="compare"),
    path("strategi/<slug:slug>/sparbarhet/", views.traceability, name="traceability"),
    path("ramverk/", views.framework_list, name="framework_list"),
    path("ramverk/ny/", views.framework_create, name="framework_create"),
    path("ramverk/<slug:code>/", views.framework_detail, name="framework"),
    path("ramverk/<slug:code>/redigera/", views.framework_edit, name="framework_edit"),
    path("ramverk/<slug:code>/ta-bort/", views.framework_delete, name="framework_delete"),
    path("ramverk/<slug:code>/punkter/ny/", views.framework_item_add, name="framework_item_add"),
    path(
        "ramverk/<slug:code>/punkter/klistra-in/",
        views.framework_items_paste,
        name="framework_items_paste",
    ),
    path(
        "ramverk/<slug:code>/punkter/<int:pk>/",
        views.framework_item_edit,
        name="framework_item_edit",
    ),
    path(
        "ramverk/<slug:code>/punkter/<int:pk>/flytta/",
        views.framework_item_move,
        name="framework_item_move",
    ),
    path(
        "ramverk/<slug:code>/punkter/<int:pk>/ta-bort/",
        views.framework_item_delete,
        name="framework_item_delete",
    ),
]
