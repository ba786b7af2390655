from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("free/", views.free_consultation, name="free"),
]
