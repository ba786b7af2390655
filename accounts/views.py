import json

from allauth.account.internal.flows.email_verification import (
    send_verification_email_for_user,
)
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from . import personal_data, services
from .forms import DeleteAccountForm, DisplayNameForm


@login_required
def your_data(request):
    context = {"sections": personal_data.collect(request.user), "section": "account"}
    return render(request, "accounts/your_data.html", context)


@login_required
def display_name(request):
    form = DisplayNameForm(request.POST or None, instance=request.user)
    if form.is_valid():
        form.save()
        # The name itself stays out of the message: message cookies are
        # signed, not encrypted.
        messages.success(request, _("Your name has been saved."))
        return redirect("accounts:name")
    context = {"form": form, "section": "account"}
    return render(request, "accounts/display_name.html", context)


@login_required
def export_data(request):
    data = {
        "exported_at": timezone.now().isoformat(),
        **personal_data.as_json(request.user),
    }
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="your-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@sensitive_post_parameters("password")
@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if form.is_valid():
        services.delete_account(request=request, user=request.user)
        return redirect("accounts:deleted")
    context = {
        "form": form,
        "section": "account",
        # What stays after deletion (questions, conversations,
        # emails to others) and for how long: purge_consultations' period.
        "retention_days": settings.CONSULTATION_RETENTION_DAYS,
    }
    return render(request, "accounts/delete_account.html", context)


@require_POST
@login_required
def resend_verification(request):
    next_url = request.POST.get("next", "")
    # A path on this site only: redirect() would take any other word for the
    # name of a URL pattern (a 500 when there is none).
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if not send_verification_email_for_user(request, request.user):
        messages.info(
            request,
            _("A verification email was sent a moment ago. Please check your inbox."),
        )
    return redirect(next_url or "account_email")


# The pages logging out and deleting an account lead to. They say what
# happened themselves: a message would be lost with the cookies that
# Clear-Site-Data (accounts/sessions.py) has the browser drop.
def logged_out(request):
    return render(request, "accounts/logged_out.html")


def account_deleted(request):
    return render(request, "accounts/account_deleted.html")
