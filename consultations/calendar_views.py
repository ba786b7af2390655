"""The specialist's calendar subscription: the page that makes its private
address, and the feed that calendar apps fetch from it.

The address's token is shown once, in the answer to the POST that made it,
and stored nowhere (not even in the session): the database keeps its hash.
Whoever has the address sees the specialist's consultation times and how they
meet, so a new address replaces the old one at once.
"""

import re
from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotFound
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.gating import account_required
from core.ratelimit import RateLimit
from specialists.ownership import own_specialist

from . import ics
from .forms import CalendarFeedForm
from .models import Booking, CalendarFeed

TEMPLATE = "consultations/calendar.html"
# Past consultations stay in the feed this long, so the calendar keeps them.
HISTORY = timedelta(days=30)
# Bounded cost per fetch, whatever the specialist's history.
MAX_EVENTS = 500
# How often last_fetched_at is written: once an hour is enough to tell the
# specialist their app is subscribed, without a write on every poll.
FETCH_NOTE_EVERY = timedelta(hours=1)
# What secrets.token_urlsafe(32) makes (43 characters); anything else is
# refused before it costs a query.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
# Per address, not per IP: Google's and Apple's fetchers share their addresses
# among many subscribers. Apps poll every 15 minutes at most.
FEED_FETCHES = RateLimit("calendar-feed", limit=20, window=3600)


def _page(request, specialist, *, address=None, status=200):
    feed = CalendarFeed.objects.filter(specialist=specialist).first()
    context = {
        "specialist": specialist,
        "feed": feed,
        "names_form": CalendarFeedForm(instance=feed) if feed else None,
        "address": address,
        "webcal": address and re.sub(r"^https?://", "webcal://", address),
        "history_days": HISTORY.days,
        "section": "specialists",
    }
    return render(request, TEMPLATE, context, status=status)


@account_required("specialist_profile")
def calendar(request):
    return _page(request, own_specialist(request))


@require_POST
@account_required("specialist_profile")
def calendar_new(request):
    """Makes the address (or a new one in place of the old) and shows it, this
    once. Rendered, not redirected: a redirect would have to carry the token
    somewhere."""
    specialist = own_specialist(request)
    token = CalendarFeed.issue(specialist)
    address = request.build_absolute_uri(
        reverse("consultations:calendar_feed", kwargs={"token": token})
    )
    response = _page(request, specialist, address=address)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@account_required("specialist_profile")
def calendar_off(request):
    CalendarFeed.objects.filter(specialist=own_specialist(request)).delete()
    messages.success(
        request,
        _("Your calendar subscription is turned off: its address no longer works."),
    )
    return redirect("consultations:calendar")


@require_POST
@account_required("specialist_profile")
def calendar_names(request):
    feed = get_object_or_404(CalendarFeed, specialist=own_specialist(request))
    form = CalendarFeedForm(request.POST, instance=feed)
    # A checkbox cannot be invalid; the form still decides what is saved.
    if form.is_valid():
        form.save()
        messages.success(request, _("Your calendar settings have been saved."))
    return redirect("consultations:calendar")


@require_safe
def calendar_feed(request, token):
    """The feed, for calendar apps: no login, the address is the key. An
    unknown, replaced or malformed address gets the same 404."""
    if not TOKEN_SHAPE.fullmatch(token):
        return _not_found()
    token_hash = Booking.hash_token(token)
    retry_after = FEED_FETCHES.hit(token_hash)
    if retry_after:
        response = HttpResponse(
            _("Too many requests. Please try again later."),
            content_type="text/plain; charset=utf-8",
            status=429,
        )
        response["Retry-After"] = str(retry_after)
        return _feed_headers(response)
    feed = (
        CalendarFeed.objects.select_related("specialist")
        .filter(token_hash=token_hash)
        .first()
    )
    if feed is None:
        return _not_found()
    content = ics.feed_for(
        _feed_bookings(feed.specialist),
        show_names=feed.show_visitor_names,
        consultations_url=request.build_absolute_uri(
            reverse("consultations:specialist_consultations")
        ),
    )
    _note_fetch(feed)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="free-consultations.ics"'
    return _feed_headers(response)


def _feed_bookings(specialist):
    """The specialist's confirmed consultations: every upcoming one first (up
    to the cap), then the last HISTORY's, newest first. Cancelled ones are
    left out, so calendars drop them."""
    now = timezone.now()
    # Through the related manager, every booking knows its specialist without
    # a query of its own.
    bookings = specialist.bookings.active().filter(anonymised_at__isnull=True)
    upcoming = list(bookings.filter(start__gte=now).order_by("start")[:MAX_EVENTS])
    room = MAX_EVENTS - len(upcoming)
    if not room:
        return upcoming
    past = bookings.filter(start__lt=now, start__gte=now - HISTORY).order_by("-start")
    return upcoming + list(past[:room])


def _note_fetch(feed):
    now = timezone.now()
    if feed.last_fetched_at is None or now - feed.last_fetched_at > FETCH_NOTE_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=now)


def _not_found():
    return _feed_headers(
        HttpResponseNotFound(
            _("No calendar at this address."),
            content_type="text/plain; charset=utf-8",
        )
    )


def _feed_headers(response):
    # The address is a key: nothing on the way may keep a copy, and search
    # engines that somehow meet it must not list it.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
