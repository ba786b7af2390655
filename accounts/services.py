from django.contrib.auth import logout
from django.db import transaction


@transaction.atomic
def delete_account(*, request, user):
    """Deletes the user and, by cascade, everything that is only theirs.

    Data another person still needs (later: messages they received, bookings a
    specialist must honour) is anonymised by the on_delete rules of those
    models, not kept under this person's name.
    """
    logout(request)
    user.delete()
