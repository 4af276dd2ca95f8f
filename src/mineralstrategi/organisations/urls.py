from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("lan/", views.county_list, name="county_list"),
    path("lan/<str:code>/", views.county_detail, name="county"),
    path("kommuner/<str:code>/", views.municipality_detail, name="municipality"),
    path("organisationer/", views.organisation_list, name="organisation_list"),
    path("organisationer/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisationer/<slug:slug>/medlemmar/", views.members, name="members"),
    path(
        "organisationer/<slug:slug>/medlemmar/<int:pk>/roll/",
        views.member_role,
        name="member_role",
    ),
    path(
        "organisationer/<slug:slug>/medlemmar/<int:pk>/ta-bort/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "organisationer/<slug:slug>/inbjudningar/<int:pk>/aterkalla/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "organisationer/<slug:slug>/inbjudningar/<int:pk>/skicka-igen/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path("inbjudan/<str:token>/", views.invitation, name="invitation"),
    path("konto/organisationer/", views.my_organisations, name="my_organisations"),
    path("konto/api-nycklar/", views.api_keys, name="api_keys"),
]
