from django.urls import path

from . import views

app_name = "helplines"

urlpatterns = [
    path("", views.help_now, name="help_now"),
]
