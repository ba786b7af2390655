"""How long a logged-in session lasts, and what logging out clears.

Django already gives a new session key at login (no fixation), deletes the
session at logout, and refuses a session whose password hash is out of date
(a password changed in another browser ends this one). This module adds the
two time limits (settings SESSION_COOKIE_AGE and SESSION_ABSOLUTE_AGE) and the
Clear-Site-Data header on the response that logs someone out.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

LOGGED_IN_AT = "_logged_in_at"
SEEN_AT = "_seen_at"
# Renewing the idle timeout writes the session; once a minute is enough.
RENEW_EVERY = 60
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


@receiver(user_logged_in, dispatch_uid="accounts.sessions.remember_login_time")
def remember_login_time(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(timezone.now().timestamp())
        request.session[LOGGED_IN_AT] = request.session[SEEN_AT] = now


@receiver(user_logged_out, dispatch_uid="accounts.sessions.clear_site_data")
def ask_to_clear_site_data(sender, request, **kwargs):
    if request is not None:
        request.clear_site_data = True


def session_timeouts(get_response):
    """Ends a logged-in session SESSION_ABSOLUTE_AGE seconds after login, and
    keeps an active one from running into the idle timeout (SESSION_COOKIE_AGE
    seconds after the session was last saved, enforced by Django's session
    store and the cookie's max-age). Logging out (the button, deleting the
    account) sends Clear-Site-Data, so the browser drops its copies of
    private pages and whatever the site stored too."""

    def middleware(request):
        session = request.session
        # The session, not request.user: no query for the user on requests
        # that never look at it (a calendar feed opened in a logged-in browser).
        if session.get(SESSION_KEY):
            now = int(timezone.now().timestamp())
            logged_in_at = session.setdefault(LOGGED_IN_AT, now)
            if now - logged_in_at > settings.SESSION_ABSOLUTE_AGE:
                logout(request)
                # The server-side session is gone already; clearing the
                # browser's cookies would only lose the message saying why.
                request.clear_site_data = False
                messages.info(
                    request,
                    _(
                        "For your safety you were logged out, as happens some "
                        "hours after logging in. Please log in again."
                    ),
                )
            elif now - session.get(SEEN_AT, 0) >= RENEW_EVERY:
                session[SEEN_AT] = now
        response = get_response(request)
        if getattr(request, "clear_site_data", False):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response

    return middleware
