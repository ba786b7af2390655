from django.contrib.auth import logout
from django.db import transaction


@transaction.atomic
def delete_account(*, request, user):
    """Deletes the user and, by cascade, everything that is only theirs.

    Data another person still needs (a conversation the other side keeps, a
    question and its answers) loses this person's name through the on_delete
    rules of those models; a specialist's upcoming consultations are cancelled
    first and the visitors told (consultations/signals.py).
    """
    logout(request)
    user.delete()
