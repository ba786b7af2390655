from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext as _

from specialists.models import Specialist

from . import services
from .models import Booking


@receiver(pre_delete, sender=Specialist)
def cancel_upcoming_bookings(sender, instance, **kwargs):
    """A specialist who leaves (account deleted, or removed by staff) cancels
    their upcoming consultations first, so every visitor is told, with a
    cancelling calendar file, instead of finding a dead link."""
    reason = _("The specialist is no longer available on this site.")
    for booking in Booking.objects.upcoming().filter(specialist=instance):
        services.cancel(booking=booking, by="specialist", reason=reason)
