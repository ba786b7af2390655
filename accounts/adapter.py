from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.sites.shortcuts import get_current_site
from django.utils.translation import gettext as _

from outbox.services import enqueue


class AccountAdapter(DefaultAccountAdapter):
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
        may be late."""
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
