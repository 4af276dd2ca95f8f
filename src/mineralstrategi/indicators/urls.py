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
    path("metallpriser/", views.commodity_list, name="commodity_list"),
    path("metallpriser/<slug:code>/", views.commodity_detail, name="commodity"),
]
