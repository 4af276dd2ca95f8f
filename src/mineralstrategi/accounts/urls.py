from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("konto/tvastegsverifiering/", views.otp_setup, name="otp_setup"),
    path("konto/tvastegsverifiering/kod/", views.otp_verify, name="otp_verify"),
    path("konto/tvastegsverifiering/reservkoder/", views.backup_codes, name="backup_codes"),
]
