from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelplinesConfig(AppConfig):
    name = "helplines"
    verbose_name = _("Help now: emergency numbers and support lines")

    def ready(self):
        from . import country  # noqa: F401  (connects the signals that reset its cache)
