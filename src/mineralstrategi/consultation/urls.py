from django.urls import path

from . import views

app_name = "consultation"

urlpatterns = [
    path("remiss/", views.round_list, name="list"),
    path("strategi/<slug:slug>/ny-remiss/", views.round_create, name="create"),
    path("remiss/<int:pk>/", views.round_detail, name="detail"),
    path("remiss/<int:pk>/atgard/", views.round_action, name="action"),
    path("remiss/<int:pk>/mitt-svar/", views.my_answer, name="my_answer"),
    path("remiss/<int:pk>/svar/<int:consultee>/", views.answer, name="answer"),
    path(
        "remiss/<int:pk>/svar/<int:consultee>/sammanfattning/",
        views.answer_review,
        name="answer_review",
    ),
    path("remiss/<int:pk>/svar/<int:consultee>/avstar/", views.decline, name="decline"),
    path(
        "remiss/<int:pk>/svar/<int:consultee>/bilaga/<int:attachment>/ta-bort/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("remiss/<int:pk>/bilaga/<int:attachment>/", views.attachment_download, name="attachment"),
    path("remiss/<int:pk>/samrad/ny/", views.meeting_create, name="meeting_create"),
    path("remiss/<int:pk>/samrad/<int:meeting>/", views.meeting_detail, name="meeting"),
    path("remiss/<int:pk>/samrad/<int:meeting>/andra/", views.meeting_edit, name="meeting_edit"),
    path(
        "remiss/<int:pk>/samrad/<int:meeting>/protokoll/",
        views.meeting_minutes,
        name="meeting_minutes",
    ),
    path(
        "remiss/<int:pk>/samrad/<int:meeting>/stall-in/",
        views.meeting_cancel,
        name="meeting_cancel",
    ),
    path(
        "remiss/<int:pk>/samrad/<int:meeting>/ta-bort/",
        views.meeting_delete,
        name="meeting_delete",
    ),
    path(
        "remiss/<int:pk>/samrad/<int:meeting>/anmalan/",
        views.meeting_register,
        name="meeting_register",
    ),
    path(
        "remiss/<int:pk>/samrad/min-inbjudan/<str:token>/",
        views.meeting_person,
        name="meeting_person",
    ),
    path("remiss/<int:pk>/yttranden/", views.answers_public, name="answers"),
    path("remiss/<int:pk>/lagesbild/", views.progress, name="progress"),
    path("remiss/<int:pk>/forlang/<int:consultee>/", views.extend, name="extend"),
    path("remiss/<int:pk>/adress/<int:consultee>/", views.address, name="consultee_address"),
    path("remiss/<int:pk>/bjud-in-igen/<int:consultee>/", views.reinvite, name="reinvite"),
    path("remiss/<int:pk>/studsat/<int:delivery>/", views.bounce, name="bounce"),
    path("remiss/<int:pk>/hantering/", views.handling, name="handling"),
    path("remiss/<int:pk>/hantering/<int:comment>/", views.disposition, name="disposition"),
    path("remiss/<int:pk>/hantering/<int:comment>/infor/", views.apply, name="apply"),
    path(
        "remiss/<int:pk>/hantering/allmanheten/<int:comment>/",
        views.public_disposition,
        name="public_disposition",
    ),
    path(
        "remiss/<int:pk>/hantering/samrad/<int:outcome>/",
        views.outcome_disposition,
        name="outcome_disposition",
    ),
    path("remiss/<int:pk>/forslaget/", views.public_text, name="public"),
    path(
        "remiss/<int:pk>/forslaget/<int:section>/synpunkt/",
        views.public_comment,
        name="public_comment",
    ),
    path("remiss/synpunkt/bekrafta/<str:token>/", views.public_confirm, name="public_confirm"),
    path("remiss/<int:pk>/moderering/", views.moderation, name="moderation"),
    path("remiss/<int:pk>/moderering/<int:comment>/", views.moderate, name="moderate"),
    path("remiss/<int:pk>/sammanstallning/", views.compilation, name="compilation"),
    path("remiss/<int:pk>/sammanstallning/pdf/", views.compilation_pdf, name="compilation_pdf"),
]
