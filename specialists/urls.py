from django.urls import path

from . import directory, views

app_name = "specialists"

urlpatterns = [
    path("", directory.directory, name="list"),
    path("new/", views.create_profile, name="new"),
    path("me/", views.dashboard, name="dashboard"),
    path("me/edit/", views.edit_profile, name="edit"),
    path("me/submit/", views.submit_profile, name="submit"),
    path("me/notifications/", views.notifications, name="notifications"),
    path("<slug:slug>/", views.profile, name="detail"),
]
