from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelplinesConfig(AppConfig):
    name = "helplines"
    verbose_name = _("Help now: emergency numbers and support lines")

    def ready(self):
        from core import pagecache

        from . import country  # connects the signals that reset its cache

        pagecache.watch(*self.get_models())
        # A kept page that shows the "danger now" block is kept per country.
        pagecache.register_variant(
            "country",
            lambda request: country.choose(request).code,
            cookie=country.cookie_name,
        )
