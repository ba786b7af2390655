from allauth.account.models import EmailAddress
from django.utils.translation import gettext_lazy as _

from accounts import personal_data

from .models import Booking


@personal_data.register(_("Free consultations booked with your email"))
def bookings(user):
    # Visitors book without an account: match on the account's verified addresses.
    addresses = list(
        EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    )
    found = Booking.objects.none()
    for address in addresses:
        found = found | Booking.objects.filter(email__iexact=address)
    return [
        {
            "specialist": b.specialist.display_name,
            "start": b.start.isoformat(),
            "status": b.status,
            "name": b.name,
            "contact_preferences": b.contact_preferences,
            "note": b.note,
        }
        for b in found.select_related("specialist")
    ]
