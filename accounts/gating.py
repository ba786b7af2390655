"""The one mechanism behind every action that needs an account.

An anonymous visitor gets the action's prompt with "Login" and "Sign up" links
that carry `next`, so they come back to the action afterwards. A logged-in
user whose email is not verified yet is told so and can resend the email:
since verification is mandatory for logging in, that is only someone who
logged in before it was, or whose only verified address went away.
With JavaScript, a link or button marked with `data-gate` opens the same prompt
in a <dialog> without leaving the page (static/js/site.js).
"""

from functools import wraps

from allauth.account.models import EmailAddress
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

PROMPTS = {
    "message": _("You need to be logged in to send messages"),
    "contact": _("You need to be logged in to contact us"),
    "question": _("To create a new Question, please log in or create an account"),
    "specialist_profile": _(
        "To create your specialist profile, please log in to your account."
    ),
}


def has_verified_email(user):
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def acts_as_staff(user):
    """Whether `user` may use staff privileges: the admin, drafts and profiles
    not yet published, the image upload. One rule for all of them: with
    ADMIN_REQUIRES_TWO_FACTOR (on in production) a staff member without
    two-factor authentication is treated like anyone else, so a stolen
    password alone opens none of it."""
    return (
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (not settings.ADMIN_REQUIRES_TWO_FACTOR or is_mfa_enabled(user))
    )


def verify_first(request, next_url=None):
    """The answer to a logged-in user whose email is not verified yet."""
    context = {"email": request.user.email, "next": next_url or request.get_full_path()}
    return render(request, "accounts/verify_first.html", context, status=403)


def account_required(action):
    """Decorates a view that needs a logged-in user with a verified email.

    `action` is a key of PROMPTS: the words the anonymous visitor is shown.
    """
    prompt = PROMPTS[action]

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                context = {"prompt": prompt, "next": request.get_full_path()}
                return render(request, "accounts/gate.html", context)
            if not has_verified_email(user):
                return verify_first(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
