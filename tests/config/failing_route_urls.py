from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def fail(request):
    raise RuntimeError("A deliberate failure, to see the server error page")


urlpatterns = [path("deliberate-failure/", fail), *site_urlpatterns]
