"""The specialist's side: weekly hours, dates off, and their consultations."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.gating import account_required
from specialists.ownership import own_specialist

from . import services
from .forms import (
    AvailabilityForm,
    DateOffFormSet,
    SpecialistCancelForm,
    WeeklyWindowFormSet,
)
from .models import Availability, Booking


@account_required("specialist_profile")
def availability(request):
    specialist = own_specialist(request)
    availability, _created = Availability.objects.get_or_create(specialist=specialist)
    data = request.POST or None
    form = AvailabilityForm(
        data,
        instance=availability,
        initial={"offers_free_consultation": specialist.offers_free_consultation},
    )
    windows = WeeklyWindowFormSet(data, instance=availability, prefix="windows")
    dates_off = DateOffFormSet(data, instance=availability, prefix="dates")
    if form.is_valid() and windows.is_valid() and dates_off.is_valid():
        with transaction.atomic():
            form.save()
            windows.save()
            dates_off.save()
            specialist.offers_free_consultation = form.cleaned_data[
                "offers_free_consultation"
            ]
            specialist.save(update_fields=["offers_free_consultation", "updated_at"])
        messages.success(request, _("Your availability has been saved."))
        return redirect("consultations:availability")
    context = {
        "specialist": specialist,
        "form": form,
        "windows": windows,
        "dates_off": dates_off,
        "section": "specialists",
    }
    return render(request, "consultations/availability_form.html", context)


@account_required("specialist_profile")
def consultations(request):
    specialist = own_specialist(request)
    now = timezone.now()
    bookings = Booking.objects.filter(specialist=specialist, anonymised_at__isnull=True)
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
    specialist = own_specialist(request)
    booking = get_object_or_404(Booking, pk=pk, specialist=specialist)
    action = request.POST.get("action")
    try:
        if action == "cancel":
            form = SpecialistCancelForm(request.POST)
            if not form.is_valid():
                raise ValidationError(
                    _("Please give the visitor a reason."), code="reason"
                )
            services.cancel(
                booking=booking, by="specialist", reason=form.cleaned_data["reason"]
            )
            messages.success(
                request, _("The consultation is cancelled; the visitor has been told.")
            )
        elif action in (Booking.Status.COMPLETED, Booking.Status.NO_SHOW):
            services.mark(booking=booking, status=action)
            messages.success(request, _("Saved."))
        else:
            raise ValidationError(_("Unknown action."), code="action")
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("consultations:specialist_consultations")
