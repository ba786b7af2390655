from django.conf import settings
from django.db.models.signals import post_save, pre_delete
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


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def forget_deleted_visitor(sender, instance, **kwargs):
    """A deleted account takes its consultations' personal data with it (see
    services.forget_visitor); accounts knows nothing of consultations."""
    services.forget_visitor(user=instance)


@receiver(post_save, sender=Specialist)
def refresh_free_slots_on_profile_change(sender, instance, created, **kwargs):
    """Weekly hours are wall-clock times in the specialist's time zone: a new
    zone moves every free slot. The profile lives in `specialists`, which must
    not import this app, so this app listens. A new profile has no hours yet,
    and saves of named fields other than the zone move nothing."""
    update_fields = kwargs.get("update_fields")
    if created or (update_fields is not None and "time_zone" not in update_fields):
        return
    services.refresh_free_slots(instance)
