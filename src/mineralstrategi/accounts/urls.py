from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("konto/tvastegsverifiering/", views.otp_setup, name="otp_setup"),
    path("konto/tvastegsverifiering/kod/", views.otp_verify, name="otp_verify"),
    path("konto/tvastegsverifiering/aktivera/<str:token>/", views.otp_enrol, name="otp_enrol"),
    path("konto/tvastegsverifiering/reservkoder/", views.backup_codes, name="backup_codes"),
    path("konto/registrera/", views.signup, name="signup"),
    path("konto/registrera/skickat/", views.signup_sent, name="signup_sent"),
    path("konto/bekrafta/<str:token>/", views.verify, name="verify"),
    path("konto/kom-igang/", views.onboarding, name="onboarding"),
    path("konto/kom-igang/ga-med/", views.join_request, name="join_request"),
    path("konto/kom-igang/ny-organisation/", views.application_create, name="application_create"),
    path("konto/ansokningar/", views.requests, name="requests"),
    path(
        "konto/ansokningar/medlemskap/<int:pk>/",
        views.join_request_decide,
        name="join_request_decide",
    ),
    path(
        "konto/ansokningar/organisation/<int:pk>/",
        views.application_decide,
        name="application_decide",
    ),
]
