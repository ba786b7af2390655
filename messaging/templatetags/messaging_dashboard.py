"""What the specialist's dashboard shows of their messages.

The dashboard belongs to `specialists`, which must not import this app (it
builds on specialists): its template loads this tag instead.
"""

from django import template

from messaging.models import Conversation

register = template.Library()


@register.inclusion_tag("messaging/_dashboard_unread.html")
def unread_conversations_summary(specialist, user):
    """How many conversations with this specialist wait unread by them: one
    query, however many conversations there are."""
    unread = Conversation.objects.unread_for(user).filter(specialist=specialist)
    return {"count": unread.count()}
