from django.urls import path

from collab.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:notification_id>/", views.notification_open, name="open"),
    path("<int:notification_id>/read/", views.notification_mark_read, name="mark_read"),
    path("read/", views.notification_mark_all_read, name="mark_all_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
