from django.contrib.auth import logout
from django.db import transaction

from outbox.services import forget


@transaction.atomic
def delete_account(*, request, user):
    """Deletes the user and, by cascade, everything that is only theirs.

    Data another person still needs (a conversation the other side keeps, a
    question and its answers) loses this person's name through the on_delete
    rules of those models; a specialist's upcoming consultations are cancelled
    first and the visitors told (consultations/signals.py). Emails about the
    person (sent to them, or carrying what they wrote) are forgotten, sent or
    not.
    """
    logout(request)
    forget(about=user)
    user.delete()
