from django.urls import path

from . import feeds, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("om/personuppgifter/", views.privacy, name="privacy"),
    path("om/tillganglighet/", views.accessibility, name="accessibility"),
    path("om/kakor/", views.cookies, name="cookies"),
    path("nyheter/", views.news_list, name="news_list"),
    path("nyheter/atom.xml", feeds.NewsFeed(), name="news_feed"),
    path("nyheter/<slug:slug>/", views.article_detail, name="article"),
    path("nyheter/<slug:slug>/bild/", views.article_image, name="article_image"),
    path("remiss/atom.xml", feeds.ConsultationFeed(), name="consultation_feed"),
    path("evenemang/", views.event_list, name="event_list"),
    path("evenemang/avboka/<str:token>/", views.registration_cancel, name="registration_cancel"),
    path("evenemang/<slug:slug>/", views.event_detail, name="event"),
    path("evenemang/<slug:slug>/kalender.ics", views.event_ical, name="event_ical"),
    path(
        "kommentarer/strategi/<slug:slug>/<uuid:key>/",
        views.section_comments,
        name="section_comments",
    ),
    path("kommentarer/<int:pk>/anmal/", views.comment_report, name="comment_report"),
    path("mina-kommentarer/", views.my_comments_request, name="my_comments_request"),
    path("mina-kommentarer/<str:token>/", views.my_comments, name="my_comments"),
    path("sok/", views.search, name="search"),
    path("redaktion/", views.editor_overview, name="editor"),
    path("redaktion/nyheter/ny/", views.article_edit, name="article_create"),
    path("redaktion/nyheter/<int:pk>/", views.article_edit, name="article_edit"),
    path("redaktion/evenemang/nytt/", views.event_edit, name="event_create"),
    path("redaktion/evenemang/<int:pk>/", views.event_edit, name="event_edit"),
    path("moderering/", views.moderation, name="moderation"),
    path("moderering/<int:pk>/", views.moderate, name="moderate"),
]
