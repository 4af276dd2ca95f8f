from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("uppfoljning/<slug:slug>/", views.dashboard, name="dashboard"),
    path("uppfoljning/<slug:slug>/rapport/", views.report, name="report"),
    path("uppfoljning/<slug:slug>/rapport/pdf/", views.report_request, name="report_request"),
    path("uppfoljning/<slug:slug>/rapport/<int:year>/", views.adopted, name="adopted"),
    path("uppfoljning/<slug:slug>/rapport/<int:year>/pdf/", views.adopted_pdf, name="adopted_pdf"),
    path("uppfoljning/<slug:slug>/rapport/<int:year>/anta/", views.adopt, name="adopt"),
    path(
        "uppfoljning/<slug:slug>/rapport/<int:year>/granskning/",
        views.review_open,
        name="review_open",
    ),
    path(
        "uppfoljning/<slug:slug>/rapport/<int:year>/synpunkter/",
        views.review_comment,
        name="review_comment",
    ),
    path("uppfoljning/rapporter/<uuid:token>/", views.report_status, name="status"),
    path("uppfoljning/rapporter/<uuid:token>/pdf/", views.report_download, name="download"),
]
