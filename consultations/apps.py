from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self):
        from core import pagecache

        from . import personal_data, signals  # noqa: F401
        from .models import Availability, Booking, DateOff, WeeklyWindow

        # Hours and bookings decide the free times on the public pages. Not
        # CalendarFeed: a calendar app's fetch writes to it, and no page shows it.
        pagecache.watch(Availability, Booking, DateOff, WeeklyWindow)
