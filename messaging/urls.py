from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.conversation, name="conversation"),
    path("<int:pk>/block/", views.block, name="block"),
    path("message/<int:pk>/report/", views.report, name="report"),
]
