from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("indikatorer/", views.indicator_list, name="list"),
    path("indikatorer/import/", views.import_start, name="import"),
    path("indikatorer/import/<int:pk>/", views.import_detail, name="import_detail"),
    path(
        "indikatorer/import/<int:pk>/forhandsgranska/", views.import_preview, name="import_preview"
    ),
    path("indikatorer/import/<int:pk>/starta/", views.import_confirm, name="import_confirm"),
    path("indikatorer/<slug:code>/", views.indicator_detail, name="detail"),
    path("indikatorer/<slug:code>/mal/", views.targets, name="targets"),
    path("indikatorer/<slug:code>/mal/<int:pk>/", views.target_edit, name="target_edit"),
    path(
        "indikatorer/<slug:code>/mal/<int:pk>/ta-bort/", views.target_delete, name="target_delete"
    ),
    path("indikatorer/<slug:code>/strategimal/", views.links, name="links"),
    path(
        "indikatorer/<slug:code>/strategimal/<int:pk>/ta-bort/",
        views.link_delete,
        name="link_delete",
    ),
    path("metallpriser/", views.commodity_list, name="commodity_list"),
    path("metallpriser/<slug:code>/", views.commodity_detail, name="commodity"),
]
