from .models import Conversation


def unread_messages(request):
    """How many conversations wait unread, for the header (logged-in users)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # A callable: only a template that shows the count runs the query.
    return {"unread_conversations": Conversation.objects.unread_for(user).count}
