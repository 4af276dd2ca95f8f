from django.urls import path

from . import views

app_name = "cycle"

# Beside the follow-up's own pages (reports/urls.py, `uppfoljning/<slug>/`).
urlpatterns = [
    path("uppfoljning/<slug:slug>/arshjul/", views.wheel, name="wheel"),
    path("uppfoljning/<slug:slug>/arshjul/kalender.ics", views.wheel_ical, name="ical"),
    path("uppfoljning/<slug:slug>/arshjul/ny/", views.entry_create, name="entry_create"),
    path("uppfoljning/<slug:slug>/arshjul/<int:pk>/andra/", views.entry_edit, name="entry_edit"),
    path("uppfoljning/<slug:slug>/arshjul/<int:pk>/oppna/", views.period_open, name="open"),
    path("uppfoljning/<slug:slug>/arshjul/<int:pk>/", views.overview, name="overview"),
    path("uppfoljning/<slug:slug>/arshjul/<int:pk>/lampor/", views.lights, name="lights"),
    path(
        "uppfoljning/<slug:slug>/arshjul/<int:pk>/paminn/<int:report>/",
        views.remind,
        name="remind",
    ),
    path("uppfoljning/<slug:slug>/rapportering/<int:pk>/", views.report, name="report"),
]
