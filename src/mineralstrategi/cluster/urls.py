from django.urls import path

from . import views

app_name = "cluster"

urlpatterns = [
    path("klustret/platser/", views.site_list, name="sites"),
    path("klustret/natverk/", views.network_page, name="network"),
]
