from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .gating import acts_as_staff


def admin_requires_two_factor(get_response):
    """With ADMIN_REQUIRES_TWO_FACTOR (on in production), a staff member
    reaches the admin only after turning on two-factor authentication."""
    admin_prefix = reverse("admin:index")

    def middleware(request):
        user = request.user
        if (
            request.path.startswith(admin_prefix)
            and user.is_authenticated
            and user.is_staff
            and not acts_as_staff(user)
        ):
            messages.warning(
                request,
                _("Turn on two-factor authentication to use the admin site."),
            )
            return redirect("mfa_activate_totp")
        return get_response(request)

    return middleware
