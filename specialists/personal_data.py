from django.utils.translation import gettext_lazy as _

from accounts import personal_data

from .models import Specialist


@personal_data.register(_("Your specialist profile"))
def specialist_profile(user):
    specialist = Specialist.objects.filter(user=user).first()
    if specialist is None:
        return []
    return [
        {
            "display_name": specialist.display_name,
            "headline": specialist.headline,
            "bio": specialist.bio,
            "qualifications": specialist.qualifications,
            "registration_number": specialist.registration_number,
            "video_link": specialist.video_link,
            "phone_direction": specialist.phone_direction,
            "phone_number": specialist.phone_number,
            "address": specialist.address,
            "city": specialist.city,
            "country": specialist.country.code if specialist.country else "",
            "time_zone": specialist.time_zone,
            "fee": f"{specialist.fee_amount} {specialist.fee_currency}"
            if specialist.fee_amount is not None
            else "",
            "photo": specialist.photo.name,
            "status": specialist.status,
            "review_note": specialist.review_note,
        }
    ]
