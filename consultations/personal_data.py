from allauth.account.models import EmailAddress
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts import personal_data

from .models import Booking


@personal_data.register(_("Free consultations booked with your email or account"))
def bookings(user):
    """Visitors book without an account, so bookings made with one of the
    account's verified addresses are listed too, but only their time,
    specialist and status: whoever typed the address may not be the account's
    owner (a typo, or someone using it on purpose), and their name, contact
    details and note are theirs. All of it shows only for bookings made while
    signed in to this account."""
    addresses = EmailAddress.objects.filter(user=user, verified=True).values_list(
        "email", flat=True
    )
    matching = Q(booked_by=user)
    for address in addresses:
        matching |= Q(email__iexact=address)
    rows = []
    for booking in Booking.objects.filter(matching).select_related("specialist"):
        row = {
            "specialist": booking.specialist.display_name,
            "start": booking.start.isoformat(),
            "status": booking.status,
        }
        if booking.booked_by_id == user.pk:
            row.update(
                name=booking.name,
                email=booking.email,
                phone=booking.visitor_phone,
                contact_wishes=booking.safe_contact_wishes(),
                note=booking.note,
            )
        rows.append(row)
    return rows
