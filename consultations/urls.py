from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("free/", views.free_consultation, name="free"),
    path("booked/", views.booked, name="booked"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/appointment.ics", views.manage_ics, name="manage_ics"),
    path("manage/<str:token>/cancel/", views.manage_cancel, name="manage_cancel"),
    path(
        "manage/<str:token>/reschedule/",
        views.manage_reschedule,
        name="manage_reschedule",
    ),
]
