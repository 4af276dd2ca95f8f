from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notiser/", views.notification_list, name="list"),
    path("notiser/las/", views.mark_read, name="mark_read"),
    path("notiser/installningar/", views.notification_settings, name="settings"),
    path("notiser/folj/", views.follow_toggle, name="follow"),
    path("notiser/avsluta/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
