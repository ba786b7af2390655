from django.urls import path

from consultations import specialist_views
from consultations.views import book
from messaging import views as messaging_views

from . import directory, views

app_name = "specialists"

urlpatterns = [
    path("", directory.directory, name="list"),
    path("new/", views.create_profile, name="new"),
    path("me/", views.dashboard, name="dashboard"),
    path("me/edit/", views.edit_profile, name="edit"),
    path("me/submit/", views.submit_profile, name="submit"),
    path("me/availability/", specialist_views.availability, name="availability"),
    path("me/consultations/", specialist_views.consultations, name="consultations"),
    path(
        "me/consultations/<int:pk>/",
        specialist_views.update_consultation,
        name="update_consultation",
    ),
    path("<slug:slug>/", views.profile, name="detail"),
    path("<slug:slug>/book/", book, name="book"),
    path("<slug:slug>/message/", messaging_views.start, name="message"),
]
