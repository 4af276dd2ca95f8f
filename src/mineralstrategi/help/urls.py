from django.urls import path

from . import views

app_name = "help"

urlpatterns = [
    path("hjalp/", views.handbook, name="handbook"),
    path("hjalp/<path:path>", views.handbook, name="page"),
]
