from django.utils.translation import gettext_lazy as _

from accounts import personal_data

from .models import Message


@personal_data.register(_("Messages you sent"))
def sent_messages(user):
    return [
        {
            "to": m.conversation.specialist.display_name
            if m.conversation.user_id == user.pk
            else "",
            "message": m.body,
            "sent": m.created_at.isoformat(),
        }
        for m in Message.objects.filter(sender=user).select_related(
            "conversation__specialist"
        )
    ]
