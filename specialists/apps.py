from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpecialistsConfig(AppConfig):
    name = "specialists"
    verbose_name = _("Specialists")

    def ready(self):
        from core import pagecache

        from . import personal_data, signals  # noqa: F401

        # Profiles, their topics, languages and free slots.
        pagecache.watch(*self.get_models())
