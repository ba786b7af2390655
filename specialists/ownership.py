"""How a view finds the logged-in specialist's own profile.

Every page a specialist manages (profile, availability, consultations) loads
the profile through here: filtering by the user is the ownership check, so a
profile that is not yours does not exist for you.
"""

from django.shortcuts import get_object_or_404

from .models import Specialist


def own_specialist(request):
    """The logged-in user's specialist profile, or 404."""
    return get_object_or_404(Specialist.objects.owned_by(request.user))
