from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("granskning/", views.audit_log, name="log"),
]
