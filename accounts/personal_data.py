"""What the site holds about a person, gathered from every app.

Each app that stores personal data registers a function that returns that
data for one user (JSON-ready lists and dicts); the "Your data" page, the
JSON download and the deletion checks all use this one registry, so a new
table cannot be forgotten in one place and remembered in another.
"""

from django.utils.translation import gettext_lazy as _

_sections = []


def register(title):
    """Registers `collect(user) -> list[dict]` under a heading shown to the user."""

    def decorator(collect):
        _sections.append((title, collect))
        return collect

    return decorator


def collect(user):
    """[(title, rows)] for every registered section, in registration order."""
    return [(title, rows(user)) for title, rows in _sections]


def as_json(user):
    return {str(title): rows for title, rows in collect(user)}


@register(_("Account"))
def _account(user):
    return [
        {
            "email": user.email,
            "name": user.name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        }
    ]


@register(_("Email addresses"))
def _email_addresses(user):
    from allauth.account.models import EmailAddress

    return [
        {"email": a.email, "verified": a.verified, "primary": a.primary}
        for a in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    ]


@register(_("Two-factor authentication"))
def _authenticators(user):
    from allauth.mfa.models import Authenticator

    return [
        {"type": a.type, "created_at": a.created_at.isoformat()}
        for a in Authenticator.objects.filter(user=user).order_by("created_at")
    ]
