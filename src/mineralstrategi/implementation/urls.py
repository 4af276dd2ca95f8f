from django.urls import path

from . import views

app_name = "implementation"

urlpatterns = [
    path("genomforande/", views.implementation_home, name="home"),
    path("genomforande/<slug:slug>/", views.rollup_page, name="rollup"),
    path("genomforande/<slug:slug>/insatser/", views.initiative_list, name="initiative_list"),
    path(
        "genomforande/<slug:slug>/insatser/ny/", views.initiative_create, name="initiative_create"
    ),
    path("genomforande/<slug:slug>/insatser/<int:pk>/", views.initiative_detail, name="initiative"),
    path(
        "genomforande/<slug:slug>/insatser/<int:pk>/andra/",
        views.initiative_edit,
        name="initiative_edit",
    ),
    path(
        "genomforande/<slug:slug>/insatser/<int:pk>/godkann/",
        views.initiative_approve,
        name="initiative_approve",
    ),
    path(
        "genomforande/<slug:slug>/insatser/<int:pk>/granska/",
        views.initiative_moderate,
        name="initiative_moderate",
    ),
    path(
        "genomforande/<slug:slug>/insatser/<int:pk>/skicka-in-igen/",
        views.initiative_resubmit,
        name="initiative_resubmit",
    ),
    path("genomforande/<slug:slug>/granskning/", views.moderation, name="moderation"),
    path(
        "genomforande/<slug:slug>/insatser/<int:pk>/lagesrapport/",
        views.progress_update,
        name="progress_update",
    ),
    path("genomforande/<slug:slug>/viktning/", views.weighting_set, name="weighting"),
    path("genomforande/<slug:slug>/handlingsplaner/", views.action_plan_list, name="action_plans"),
    path("genomforande/<slug:slug>/bidra/", views.contribute_index, name="contribute"),
    path(
        "genomforande/<slug:slug>/bidra/<uuid:key>/",
        views.contribute_direction,
        name="contribute_direction",
    ),
]
