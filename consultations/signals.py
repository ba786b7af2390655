from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext as _

from specialists.models import Specialist

from . import emails
from .models import Booking


@receiver(pre_delete, sender=Specialist)
def cancel_upcoming_bookings(sender, instance, **kwargs):
    """A specialist who leaves (account deleted, or removed by staff) cancels
    their upcoming consultations first, so every visitor is told, with a
    cancelling calendar file, instead of finding a dead link."""
    for booking in Booking.objects.upcoming().filter(specialist=instance):
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_by = "specialist"
        booking.cancel_reason = _("The specialist is no longer available on this site.")
        booking.sequence += 1
        booking.save(
            update_fields=["status", "cancelled_by", "cancel_reason", "sequence"]
        )
        emails.send_booking_cancelled(booking, by="specialist")
