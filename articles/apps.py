from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        # Connects the signals that clear cached pages when an article changes.
        from . import pagecache  # noqa: F401
