from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("for-specialists/", views.for_specialists, name="for_specialists"),
    path("privacy/", views.privacy, name="privacy"),
]
