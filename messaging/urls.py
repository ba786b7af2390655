from django.urls import path

from . import views

app_name = "messaging"

# Under /messages/: the conversations of the logged-in user.
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.conversation, name="conversation"),
    path("<int:pk>/block/", views.block, name="block"),
    path("message/<int:pk>/report/", views.report, name="report"),
]

# Under /specialists/: a first message is written from the profile's address.
specialist_urlpatterns = [
    path("<slug:slug>/message/", views.start, name="start"),
]
