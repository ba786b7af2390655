from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Site core")

    def ready(self):
        from . import pagecache
        from .models import Topic

        pagecache.watch(Topic)
        pagecache.watch_open_connections()
