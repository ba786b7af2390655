from django.utils.translation import gettext_lazy as _

from accounts import personal_data

from .models import ContactMessage


@personal_data.register(_("Messages to us"))
def contact_messages(user):
    return [
        {"subject": m.subject, "message": m.message, "sent": m.created_at.isoformat()}
        for m in ContactMessage.objects.filter(user=user)
    ]
