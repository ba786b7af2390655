from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from accounts.gating import account_required
from core.ratelimit import RateLimited, too_many_requests

from . import services
from .forms import ContactForm

TEMPLATE = "contact/contact_form.html"


@sensitive_post_parameters("subject", "message")
@account_required("contact")
def contact(request):
    form = ContactForm(request.POST or None)
    context = {"form": form, "section": "contact"}
    if form.is_valid():
        try:
            services.send_contact_message(user=request.user, **form.cleaned_data)
        except RateLimited as error:
            return too_many_requests(request, TEMPLATE, context, form=form, error=error)
        messages.success(request, _("Your message has been sent"))
        return redirect("contact:form")
    return render(request, TEMPLATE, context)
