import logging
import smtplib
from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


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
        """A mail server that is down must not break sign-up or a password
        reset half-way: the account stands, and the person is told to ask for
        the email again later."""
        try:
            super().send_mail(template_prefix, email, context)
        except (smtplib.SMTPException, OSError):
            logger.exception("Could not send the %s email", template_prefix)
            if self.request is not None:
                messages.warning(
                    self.request,
                    _(
                        "We could not send you an email just now. Please ask for "
                        "it again in a few minutes."
                    ),
                )
