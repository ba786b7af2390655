"""The specialist's side: weekly hours, dates off, and their consultations."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.gating import account_required
from specialists.ownership import own_specialist

from . import services
from .forms import (
    AvailabilityForms,
    ConsultationUpdateForm,
    SpecialistCancelForm,
)
from .models import Availability, Booking


@account_required("specialist_profile")
def availability(request):
    specialist = own_specialist(request)
    availability, _created = Availability.objects.get_or_create(specialist=specialist)
    today = timezone.now().astimezone(ZoneInfo(specialist.time_zone)).date()
    page = AvailabilityForms(
        request.POST if request.method == "POST" else None,
        specialist=specialist,
        availability=availability,
        today=today,
    )
    preview = None
    if page.is_valid():
        hours = {"windows": page.windows(), "dates_off": page.dates_off_spans()}
        if page.action == page.PREVIEW:
            notice = page.form.cleaned_data["minimum_notice_hours"]
            preview = services.preview_slots(
                specialist=specialist, minimum_notice_hours=notice, **hours
            )
        else:
            services.save_availability(specialist=specialist, form=page.form, **hours)
            messages.success(request, _("Your availability has been saved."))
            return redirect("consultations:availability")
    context = {
        "specialist": specialist,
        "page": page,
        "preview": preview,
        "section": "specialists",
    }
    return render(request, "consultations/availability_form.html", context)


@account_required("specialist_profile")
def consultations(request):
    specialist = own_specialist(request)
    now = timezone.now()
    bookings = Booking.objects.filter(
        specialist=specialist, anonymised_at__isnull=True
    ).select_related("specialist")
    context = {
        "specialist": specialist,
        "upcoming": bookings.filter(start__gte=now).exclude(
            status=Booking.Status.CANCELLED
        ),
        "past": bookings.filter(start__lt=now).order_by("-start")[:50],
        "cancel_form": SpecialistCancelForm(),
        "zone": ZoneInfo(specialist.time_zone),
        "section": "specialists",
    }
    return render(request, "consultations/specialist_consultations.html", context)


@require_POST
@account_required("specialist_profile")
def update_consultation(request, pk):
    booking = get_object_or_404(Booking, pk=pk, specialist=own_specialist(request))
    form = ConsultationUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.first_error())
        return redirect("consultations:specialist_consultations")
    try:
        services.update_consultation(booking=booking, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, form.done_message())
    return redirect("consultations:specialist_consultations")
