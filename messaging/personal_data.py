from django.utils.translation import gettext_lazy as _

from accounts import personal_data

from .models import Conversation, Message, Report


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


@personal_data.register(_("Messages you received"))
def received_messages(user):
    conversations = Conversation.objects.for_user(user)
    return [
        {"message": m.body, "received": m.created_at.isoformat()}
        for m in Message.objects.filter(conversation__in=conversations).exclude(
            sender=user
        )
    ]


@personal_data.register(_("Messages you reported"))
def reported_messages(user):
    return [
        {"reason": r.reason, "reported": r.created_at.isoformat()}
        for r in Report.objects.filter(reporter=user)
    ]
