import secrets
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from specialists.models import Specialist

from . import ics, ratelimit, services, slots
from .forms import (
    BookingForm,
    CancelForm,
    EmailCorrectionForm,
    TimeZoneForm,
    parse_slot,
)
from .models import Booking

SESSION_KEY = "booked"


def free_consultation(request):
    context = {
        "specialists": Specialist.objects.featured()[:6],
        "section": "free-consultation",
    }
    return render(request, "consultations/free.html", context)


def _bookable(slug):
    return get_object_or_404(
        Specialist.objects.approved().filter(offers_free_consultation=True), slug=slug
    )


def _manage_url(request):
    return lambda token: request.build_absolute_uri(
        reverse("consultations:manage", kwargs={"token": token})
    )


def _slot_picker_context(specialist, time_zone):
    free = services.free_slots(specialist)
    return {
        "specialist": specialist,
        "days": slots.by_local_day(free, time_zone)[:14],
        "time_zone": time_zone,
        "tz_form": TimeZoneForm(initial={"tz": time_zone}),
    }


@sensitive_post_parameters("name", "email", "contact_preferences", "note")
def book(request, slug):
    """The slot picker, then the form for the chosen slot."""
    specialist = _bookable(slug)
    time_zone = TimeZoneForm(request.GET or request.POST).time_zone()
    start = parse_slot(request.GET.get("slot") or request.POST.get("slot"))
    if start is None:
        if request.method == "POST":
            messages.warning(request, _("Please choose a time from the list."))
        context = _slot_picker_context(specialist, time_zone)
        status = 400 if request.method == "POST" else 200
        return render(request, "consultations/slot_picker.html", context, status=status)

    initial = {"slot": start.isoformat(), "token": secrets.token_urlsafe(24)}
    if request.user.is_authenticated:
        initial.update(name=request.user.name, email=request.user.email)
    form = BookingForm(request.POST or None, initial=initial, specialist=specialist)
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        try:
            if ratelimit.booking_refused(request, data["email"]):
                raise ValidationError(
                    _("Too many booking attempts. Please wait an hour and try again."),
                    code="rate_limited",
                )
            booking, _token = services.book_consultation(
                specialist=specialist,
                start=data["slot"],
                form_token=data["token"],
                manage_url=_manage_url(request),
                name=data["name"],
                email=data["email"],
                preferred_format=data["preferred_format"],
                contact_preferences=data["contact_preferences"],
                note=data["note"],
                visitor_time_zone=time_zone,
            )
        except services.SlotTaken:
            messages.warning(
                request,
                _("Sorry, this time was just taken. Please choose another one."),
            )
            context = _slot_picker_context(specialist, time_zone)
            return render(
                request, "consultations/slot_picker.html", context, status=409
            )
        except ValidationError as error:
            form.add_error(None, error)
            status = 429 if error.code == "rate_limited" else 400
        else:
            request.session[SESSION_KEY] = booking.pk
            return redirect("consultations:booked")
    elif form.is_bound:
        status = 400
    context = {
        "specialist": specialist,
        "form": form,
        "start": start.astimezone(ZoneInfo(time_zone)),
        "time_zone": time_zone,
    }
    return render(request, "consultations/booking_form.html", context, status=status)


def booked(request):
    """The confirmation page, for the browser that just booked."""
    booking = get_object_or_404(Booking, pk=request.session.get(SESSION_KEY, 0))
    form = EmailCorrectionForm(request.POST or None, initial={"email": booking.email})
    if form.is_valid():
        try:
            if ratelimit.booking_refused(request, form.cleaned_data["email"]):
                raise ValidationError(
                    _("Too many booking attempts. Please wait an hour and try again."),
                    code="rate_limited",
                )
            services.correct_email(
                booking=booking,
                email=form.cleaned_data["email"],
                manage_url=_manage_url(request),
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                _("Thank you. We sent the confirmation to the corrected address."),
            )
            return redirect("consultations:booked")
    context = {
        "booking": booking,
        "form": form,
        "can_correct": services.can_correct_email(booking),
        "local_start": booking.start.astimezone(ZoneInfo(booking.visitor_time_zone)),
    }
    return render(request, "consultations/booked.html", context)


def _booking_for_token(token):
    """The upcoming booking behind a private link; 404 for a wrong, old or used one."""
    booking = (
        Booking.objects.select_related("specialist")
        .filter(manage_token_hash=Booking.hash_token(token))
        .first()
    )
    if booking is None or not booking.is_upcoming:
        raise Http404
    return booking


def _private(response):
    """A page or file behind the private link: the link (in the address) must
    not leak to any other site. Not "no-referrer": with it, Chromium sends
    "Origin: null" with the page's own forms, which Django's CSRF check
    (rightly) refuses."""
    response["Referrer-Policy"] = "same-origin"
    return response


def _visitor_zone(request, booking):
    """The zone the visitor chose on this page, else the one they booked in."""
    data = request.POST if "tz" in request.POST else request.GET
    return TimeZoneForm(data).time_zone() if "tz" in data else booking.visitor_time_zone


def manage(request, token):
    booking = _booking_for_token(token)
    time_zone = _visitor_zone(request, booking)
    context = {
        "booking": booking,
        "token": token,
        "local_start": booking.start.astimezone(ZoneInfo(time_zone)),
        "time_zone": time_zone,
        "cancel_form": CancelForm(),
    }
    return _private(render(request, "consultations/manage.html", context))


def manage_ics(request, token):
    booking = _booking_for_token(token)
    content = ics.calendar_for(
        booking,
        method="PUBLISH",
        # The site's own address: the specialist's login address stays private.
        organizer_email=parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
        attendee_email=booking.email,
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="appointment.ics"'
    return _private(response)


def manage_cancel(request, token):
    booking = _booking_for_token(token)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.cancel(
            booking=booking, by="visitor", reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            _("Your consultation has been cancelled. The specialist has been told."),
        )
        return redirect("consultations:free")
    return redirect("consultations:manage", token=token)


def manage_reschedule(request, token):
    booking = _booking_for_token(token)
    time_zone = _visitor_zone(request, booking)
    status = 200
    if request.method == "POST":
        start = parse_slot(request.POST.get("slot"))
        try:
            if start is None:
                raise services.SlotTaken
            services.reschedule(
                booking=booking,
                start=start,
                manage_url=request.build_absolute_uri(
                    reverse("consultations:manage", kwargs={"token": token})
                ),
            )
        except services.SlotTaken:
            messages.warning(
                request,
                _("Sorry, this time was just taken. Please choose another one."),
            )
            status = 409
        else:
            messages.success(
                request,
                _(
                    "Your consultation has been moved. We sent you an updated calendar invitation."
                ),
            )
            return redirect("consultations:manage", token=token)
    context = _slot_picker_context(booking.specialist, time_zone)
    context.update(booking=booking, token=token, rescheduling=True)
    return _private(
        render(request, "consultations/slot_picker.html", context, status=status)
    )
