from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import personal_data

from .models import Conversation, Message, Report


@personal_data.register(_("Messages you sent"))
def sent_messages(user):
    rows = []
    for m in Message.objects.filter(sender=user).select_related(
        "conversation__specialist"
    ):
        conversation = m.conversation
        as_person = conversation.user_id == user.pk
        rows.append(
            {
                "to": _specialist_name(conversation) if as_person else "",
                # What the specialist calls the person when they have no name.
                "your_pseudonym": conversation.pseudonym if as_person else "",
                "message": m.body,
                "sent": m.created_at.isoformat(),
            }
        )
    return rows


def _specialist_name(conversation):
    if conversation.specialist is None:
        return gettext("A specialist who has left")
    return conversation.specialist.display_name


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
