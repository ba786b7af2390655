from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactConfig(AppConfig):
    name = "contact"
    verbose_name = _("Contact messages")

    def ready(self):
        from . import personal_data  # noqa: F401
