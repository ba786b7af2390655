from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from accounts.gating import account_required

from . import services
from .forms import ContactForm


@sensitive_post_parameters("subject", "message")
@account_required("contact")
def contact(request):
    form = ContactForm(request.POST or None)
    status = 200
    if form.is_valid():
        try:
            services.send_contact_message(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            status = 429
        else:
            messages.success(request, _("Your message has been sent"))
            return redirect("contact:form")
    context = {"form": form, "section": "contact"}
    return render(request, "contact/contact_form.html", context, status=status)
