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
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.debug import sensitive_post_parameters

from core.pagecache import public_page
from core.ratelimit import RateLimited, client_ip, too_many_requests
from core.timezones import browser_zone, describe
from specialists.models import Specialist

from . import ics, services, slots
from .forms import (
    BookingForm,
    CancelForm,
    EmailCorrectionForm,
    RescheduleForm,
    SlotChoiceForm,
    TimeZoneForm,
)
from .models import Booking

SESSION_KEY = "booked"
# The raw private-link token of the booking just made, for the booked page
# only: the database keeps its hash, and no other URL carries it.
TOKEN_SESSION_KEY = "booked_token"
DETAILS = "consultations/booking_form.html"
BOOKED = "consultations/booked.html"
SLOT_TAKEN = _lazy("Sorry, this time was just taken. Please choose another one.")
NEAREST_TAKEN = _lazy(
    "Sorry, this time was just taken. Please choose one of the nearest free times."
)
# The same answer whether or not the address already has bookings: anything
# else would tell an outsider who has sought help (see services.correct_email).
EMAIL_CORRECTED = _lazy(
    "Thank you. If this address can receive email, the confirmation is on its way there."
)
MOVED = _lazy(
    "Your consultation has been moved. We sent you an updated calendar invitation."
)
MOVED_ENOUGH = _lazy(
    "This consultation cannot be moved again. If the time no longer suits "
    "you, please cancel it and book a new time."
)


@public_page
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


def _site_url(request):
    """Scheme and host, for the links in the specialist's emails."""
    return request.build_absolute_uri("/").rstrip("/")


def _zone_for(request, default):
    """The zone to show times in: the one chosen on the page (?tz= or the
    form's tz), else the one the browser reported, else `default` (the
    specialist's zone: without JavaScript, their times as they give them)."""
    data = request.POST if "tz" in request.POST else request.GET
    if "tz" in data:
        return TimeZoneForm(data).time_zone(default=default)
    return browser_zone(request) or default


def _slot_picker_context(specialist, time_zone, *, rescheduling=False):
    free = services.free_slots(specialist)
    context = {
        "specialist": specialist,
        "days": slots.by_local_day(free, time_zone)[:14],
        "time_zone": time_zone,
        "zone_name": describe(time_zone),
        "tz_form": TimeZoneForm(initial={"tz": time_zone}),
    }
    if not free and not rescheduling:
        # No dead end: people who can be booked now, instead of "come back".
        context["alternatives"] = Specialist.objects.featured().exclude(
            pk=specialist.pk
        )[:3]
    return context


def _render_picker(request, specialist, time_zone, *, status=200, **extra):
    rescheduling = extra.get("rescheduling", False)
    context = _slot_picker_context(specialist, time_zone, rescheduling=rescheduling)
    context.update(extra)
    return render(request, "consultations/slot_picker.html", context, status=status)


# The slot picker only: ?slot= (the details form, with its one-time token) is
# never kept.
@public_page(query=["tz"])
@sensitive_post_parameters(
    "name", "email", "visitor_phone", "contact_preferences", "note"
)
def book(request, slug):
    """The slot picker. Once a slot is chosen (the picker's links carry
    ?slot=, the details form posts it back here), the details form."""
    specialist = _bookable(slug)
    data = request.GET if "slot" in request.GET else request.POST
    time_zone = _zone_for(request, specialist.time_zone)
    chosen = SlotChoiceForm(data)
    if chosen.is_valid():
        start = chosen.cleaned_data["slot"]
        return booking_details(request, specialist, start, time_zone)
    if request.method == "POST":
        messages.warning(request, _("Please choose a time from the list."))
        return _render_picker(request, specialist, time_zone, status=400)
    return _render_picker(request, specialist, time_zone)


def booking_details(request, specialist, start, time_zone):
    """The visitor's details for the chosen slot, then the booking. Nothing
    typed is lost: every refusal renders this form again, filled in."""
    initial = _details_initial(request, start)
    form = BookingForm(request.POST or None, initial=initial, specialist=specialist)
    context = {
        "specialist": specialist,
        "form": form,
        "start": start.astimezone(ZoneInfo(time_zone)),
        "time_zone": time_zone,
        "zone_name": describe(time_zone, start),
    }
    if form.is_valid():
        try:
            booking, token = services.book_consultation(
                specialist=specialist,
                manage_url=_manage_url(request),
                client_ip=client_ip(request),
                booked_by=request.user if request.user.is_authenticated else None,
                visitor_time_zone=time_zone,
                site_url=_site_url(request),
                **form.booking_fields(),
            )
        except RateLimited as error:
            return too_many_requests(request, DETAILS, context, form=form, error=error)
        except services.SlotTaken:
            # The nearest free times, as choices in this same form: one more
            # submit books one of them, with nothing typed again.
            nearest = services.nearest_free_slots(specialist, start)
            form.offer_slots(nearest, time_zone=time_zone, error=NEAREST_TAKEN)
            context["slot_taken"] = True
            return render(request, DETAILS, context, status=409)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _remember_booking(request, booking, token)
            return redirect("consultations:booked")
    return render(request, DETAILS, context, status=400 if form.is_bound else 200)


def _remember_booking(request, booking, token):
    """The booked page is for this browser only. A double click returns the
    first request's booking without a token: the session already has it."""
    if token is not None:
        request.session[TOKEN_SESSION_KEY] = token
    elif request.session.get(SESSION_KEY) != booking.pk:
        request.session.pop(TOKEN_SESSION_KEY, None)  # another booking's link
    request.session[SESSION_KEY] = booking.pk


def _details_initial(request, start):
    # The token makes a double click book once (see services.book_consultation).
    initial = {"slot": start.isoformat(), "token": secrets.token_urlsafe(24)}
    if request.user.is_authenticated:
        initial.update(name=request.user.name, email=request.user.email)
    return initial


def _just_booked(request):
    return get_object_or_404(
        Booking.objects.select_related("specialist"),
        pk=request.session.get(SESSION_KEY, 0),
    )


@sensitive_post_parameters("email")
def booked(request):
    """The confirmation page, for the browser that just booked: when, how,
    what to do if plans change, the calendar file and the private link."""
    booking = _just_booked(request)
    form = EmailCorrectionForm(request.POST or None, initial={"email": booking.email})
    token = request.session.get(TOKEN_SESSION_KEY)
    local_start = booking.start.astimezone(ZoneInfo(booking.visitor_time_zone))
    context = {
        "booking": booking,
        "form": form,
        "can_correct": services.can_correct_email(booking),
        "local_start": local_start,
        "zone_name": describe(booking.visitor_time_zone, booking.start),
        "manage_link": _manage_url(request)(token) if token else None,
    }
    if form.is_valid():
        try:
            token = services.correct_email(
                booking=booking,
                email=form.cleaned_data["email"],
                manage_url=_manage_url(request),
                client_ip=client_ip(request),
            )
        except RateLimited as error:
            return too_many_requests(request, BOOKED, context, form=form, error=error)
        except ValidationError as error:
            form.add_error("email", error)
        else:
            request.session[TOKEN_SESSION_KEY] = token
            messages.success(request, EMAIL_CORRECTED)
            return redirect("consultations:booked")
    response = render(request, BOOKED, context, status=400 if form.errors else 200)
    return _private(response)


def booked_ics(request):
    """The calendar file of the booking just made, from the booked page."""
    return _calendar_response(_just_booked(request))


def _booking_for_token(token):
    """The booking behind a private link; 404 for a link that never was."""
    booking = (
        Booking.objects.select_related("specialist")
        .filter(manage_token_hash=Booking.hash_token(token))
        .first()
    )
    if booking is None:
        raise Http404
    return booking


def _upcoming_for_token(token):
    """The upcoming booking behind a private link, for the actions that change
    it; None for a cancelled or past one (the caller sends the visitor to the
    link's own page, which says so)."""
    booking = _booking_for_token(token)
    return booking if booking.is_upcoming else None


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
    if "tz" in data:
        return TimeZoneForm(data).time_zone(default=booking.visitor_time_zone)
    return booking.visitor_time_zone


def manage(request, token):
    booking = _booking_for_token(token)
    if not booking.is_upcoming:
        return _private(_closed(request, booking))
    time_zone = _visitor_zone(request, booking)
    context = {
        "booking": booking,
        "token": token,
        "local_start": booking.start.astimezone(ZoneInfo(time_zone)),
        "time_zone": time_zone,
        "zone_name": describe(time_zone, booking.start),
        "cancel_form": CancelForm(),
    }
    return _private(render(request, "consultations/manage.html", context))


def _closed(request, booking):
    """The old link of a cancelled or past consultation: a short page that
    says so and how to book again. No name, time or specialist on it: the
    link may be found in a shared inbox long after."""
    cancelled = booking.status == Booking.Status.CANCELLED
    context = {"cancelled": cancelled, "section": "free-consultation"}
    return render(request, "consultations/manage_closed.html", context)


def _calendar_response(booking):
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


def manage_ics(request, token):
    booking = _upcoming_for_token(token)
    if booking is None:
        return redirect("consultations:manage", token=token)
    return _calendar_response(booking)


def manage_cancel(request, token):
    booking = _upcoming_for_token(token)
    if booking is None:
        return redirect("consultations:manage", token=token)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.cancel(
            booking=booking,
            by="visitor",
            reason=form.cleaned_data["reason"],
            site_url=_site_url(request),
        )
        messages.success(
            request,
            _(
                "Your consultation has been cancelled. The specialist has been "
                "told, and we sent you a confirmation."
            ),
        )
        return redirect("consultations:manage", token=token)
    return redirect("consultations:manage", token=token)


def manage_reschedule(request, token):
    booking = _upcoming_for_token(token)
    if booking is None:
        return redirect("consultations:manage", token=token)
    time_zone = _visitor_zone(request, booking)
    form = RescheduleForm(request.POST or None)
    # A refusal shows the same picker, in the zone the visitor chose, with
    # the time they picked still on offer: nothing to choose again.
    status = 200
    retry_after = None
    if form.is_valid():
        try:
            services.reschedule(
                booking=booking,
                start=form.cleaned_data["slot"],
                manage_url=_manage_url(request)(token),
                client_ip=client_ip(request),
                site_url=_site_url(request),
            )
        except RateLimited as error:
            messages.warning(request, error.message)
            status, retry_after = 429, error.retry_after
        except services.MovedTooOften:
            messages.warning(request, MOVED_ENOUGH)
            status = 409
        except services.SlotTaken:
            form.add_error("slot", SLOT_TAKEN)
        else:
            messages.success(request, MOVED)
            return redirect("consultations:manage", token=token)
    if form.errors:  # taken a moment ago, or never offered: the picker says so
        messages.warning(request, SLOT_TAKEN)
        status = 409
    extra = {"booking": booking, "token": token, "rescheduling": True}
    response = _render_picker(
        request, booking.specialist, time_zone, status=status, **extra
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return _private(response)
