from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from core.ratelimit import RateLimit, client_ip
from outbox.services import enqueue

# Emails anyone can have sent to any address by typing it into a form: each
# kind goes to one address at most ACCOUNT_MAIL_LIMIT times an hour. Over the
# limit the email is silently not sent; the page reads the same, so the limit
# tells nothing about the address (it is counted whether or not it has an
# account).
MAIL_LIMITS = {
    prefix: RateLimit(name, limit=settings.ACCOUNT_MAIL_LIMIT, window=60 * 60)
    for name, prefixes in [
        (
            "account-mail-reset",
            ["account/email/password_reset_key", "account/email/unknown_account"],
        ),
        (
            "account-mail-verify",
            [
                "account/email/email_confirmation",
                "account/email/email_confirmation_signup",
                "account/email/account_already_exists",
            ],
        ),
    ]
    for prefix in prefixes
}


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """allauth's rate limits count the address ours count, read through
        TRUSTED_PROXIES only (allauth's own rule trusts a number of proxies,
        and so whatever a client reaching the app server directly claims)."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def get_email_confirmation_url(self, request, emailconfirmation):
        """The verification link carries the page the person was heading for,
        so that verifying (in any browser) brings them back to it."""
        url = super().get_email_confirmation_url(request, emailconfirmation)
        next_url = request and (
            request.POST.get(REDIRECT_FIELD_NAME)
            or request.GET.get(REDIRECT_FIELD_NAME)
        )
        if next_url and self.is_safe_url(next_url):
            url += "?" + urlencode({REDIRECT_FIELD_NAME: next_url})
        return url

    def send_mail(self, template_prefix, email, context):
        """allauth's emails (verification, password reset, codes) go through
        the outbox like every other: one that the mail server refuses is not
        lost but retried. The first try happens as soon as the request's
        changes are committed; when it failed, the person is told the email
        may be late. Emails in MAIL_LIMITS are dropped over their limit."""
        limit = MAIL_LIMITS.get(template_prefix)
        if limit is not None and limit.hit(email.strip().lower()):
            return
        ctx = {
            "request": self.request,
            "email": email,
            "current_site": get_current_site(self.request),
            **context,
        }
        message = self.render_mail(template_prefix, email, ctx)
        user = context.get("user")
        stored = enqueue(message, about=user if getattr(user, "pk", None) else None)
        stored.refresh_from_db(fields=["attempts", "sent_at"])
        if stored.attempts and stored.sent_at is None and self.request is not None:
            messages.warning(
                self.request,
                _(
                    "We could not send you an email just now. We will try again "
                    "over the next minutes; if it has not arrived in a quarter of "
                    "an hour, please ask for it again."
                ),
            )
