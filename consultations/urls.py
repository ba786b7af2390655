from django.urls import path

from . import calendar_views, specialist_views, views

app_name = "consultations"

# Under /consultations/: the visitor's pages, reached from the booking emails.
urlpatterns = [
    path("free/", views.free_consultation, name="free"),
    path("booked/", views.booked, name="booked"),
    path("booked/appointment.ics", views.booked_ics, name="booked_ics"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/appointment.ics", views.manage_ics, name="manage_ics"),
    path("manage/<str:token>/cancel/", views.manage_cancel, name="manage_cancel"),
    path(
        "manage/<str:token>/reschedule/",
        views.manage_reschedule,
        name="manage_reschedule",
    ),
    # The specialist's calendar subscription, for calendar apps (no login).
    path(
        "calendar-feed/<str:token>.ics",
        calendar_views.calendar_feed,
        name="calendar_feed",
    ),
]

# Under /specialists/: booking sits on the profile's address, and the
# specialist's own pages next to their dashboard (me/).
specialist_urlpatterns = [
    path("me/availability/", specialist_views.availability, name="availability"),
    path(
        "me/consultations/",
        specialist_views.consultations,
        name="specialist_consultations",
    ),
    path(
        "me/consultations/<int:pk>/",
        specialist_views.update_consultation,
        name="update",
    ),
    path("me/calendar/", calendar_views.calendar, name="calendar"),
    path("me/calendar/new/", calendar_views.calendar_new, name="calendar_new"),
    path("me/calendar/off/", calendar_views.calendar_off, name="calendar_off"),
    path("me/calendar/names/", calendar_views.calendar_names, name="calendar_names"),
    path("<slug:slug>/book/", views.book, name="book"),
]
