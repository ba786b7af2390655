from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from core import pagecache

        from . import sessions  # noqa: F401 (connects the login/logout receivers)

        # Questions show their author's name. A login writes last_login too,
        # which costs the workers one render of each page, nothing more.
        pagecache.watch(self.get_model("User"))
