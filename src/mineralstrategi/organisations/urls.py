from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("lan/", views.county_list, name="county_list"),
    path("lan/<str:code>/", views.county_detail, name="county"),
    path("kommuner/<str:code>/", views.municipality_detail, name="municipality"),
    path("organisationer/", views.organisation_list, name="organisation_list"),
    path("organisationer/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("konto/api-nycklar/", views.api_keys, name="api_keys"),
]
