"""How a booked consultation happens (video link, who calls whom, address)
and the visitor's safe-contact wishes: asked on the booking form, given to
the booked visitor and the specialist only, never in a calendar title."""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from consultations import services
from consultations.models import Booking
from tests.factories import make_bookable_specialist, make_verified_user
from tests.html import parse_html

LINK = "https://meet.example.org/rowan-room"
ADDRESS = "Practice Example, Hidden Lane 7\n10115 Berlin"
SPECIALIST_NUMBER = "+49 30 1234567"
VISITOR_NUMBER = "+44 7700 900123"


@pytest.fixture(autouse=True)
def fresh_rate_limits(db):
    cache.clear()
    yield
    cache.clear()


def make_rowan(**overrides):
    fields = {
        "slug": "rowan",
        "display_name": "Rowan Example",
        "city": "Berlin",
        "video_link": LINK,
        "offers_phone": True,
        "phone_direction": "specialist_calls",
        "offers_in_person": True,
        "address": ADDRESS,
    }
    return make_bookable_specialist(**(fields | overrides))


@pytest.fixture
def specialist(db):
    return make_rowan()


def booking_data(slot, /, **overrides):
    data = {
        "slot": slot.isoformat(),
        "token": "form-token-1",
        "tz": "Europe/Berlin",
        "name": "Sam",
        "email": "sam@example.org",
        "preferred_format": "video",
        "consent": "on",
    }
    return data | overrides


def book(client, specialist, **overrides):
    slot = services.free_slots(specialist)[0]
    return client.post("/specialists/rowan/book/", booking_data(slot, **overrides))


def details_page(client, specialist):
    slot = services.free_slots(specialist)[0]
    return client.get("/specialists/rowan/book/", {"slot": slot.isoformat()})


def labels(page):
    return [
        label.text.strip().rstrip(":") for label in page.find("form").find_all("label")
    ]


# Before booking


def test_booking_page_says_how_each_format_works(client, specialist):
    page = parse_html(details_page(client, specialist).content)

    ways = [li.text for li in page.find("div", class_="how-it-works").find_all("li")]
    assert ways == [
        "By video: you get a meeting link after booking.",
        "By phone: the specialist calls you at the booked time.",
        "In person in Berlin: the address is in your confirmation.",
    ]
    html = page.find("main").text
    assert LINK not in html
    assert "Hidden Lane" not in html


def test_phone_number_is_asked_only_when_the_specialist_calls(client, specialist):
    page = parse_html(details_page(client, specialist).content)
    phone = next(
        e
        for e in page.iter()
        if e.tag == "input" and e.attrs.get("name") == "visitor_phone"
    )
    assert phone.attrs["type"] == "tel"
    # Without JavaScript the field is there, saying when it counts; site.js
    # hides it unless phone is chosen.
    assert "Your phone number (only if you chose phone)" in labels(page)
    assert phone.parent.attrs["data-format-dependent"] == "phone"

    specialist.phone_direction = "visitor_calls"
    specialist.phone_number = SPECIALIST_NUMBER
    specialist.save()
    page = parse_html(details_page(client, specialist).content)
    assert "Your phone number (only if you chose phone)" not in labels(page)


def test_only_formats_with_their_details_can_be_chosen(client, db):
    specialist = make_rowan(address="", offers_phone=False)

    page = parse_html(details_page(client, specialist).content)

    formats = [
        e.attrs["value"]
        for e in page.iter()
        if e.tag == "input" and e.attrs.get("name") == "preferred_format"
    ]
    assert formats == ["video"]
    response = book(client, specialist, preferred_format="in_person")
    assert response.status_code == 400
    assert not Booking.objects.exists()


def test_phone_number_is_required_when_phone_is_chosen(client, specialist):
    response = book(client, specialist, preferred_format="phone")

    assert response.status_code == 400
    assert "The specialist calls you: please give the number to call." in (
        response.content.decode()
    )
    assert not Booking.objects.exists()


def test_phone_number_typed_for_another_format_is_not_kept(client, specialist):
    response = book(
        client, specialist, preferred_format="video", visitor_phone=VISITOR_NUMBER
    )

    assert response.status_code == 302
    assert Booking.objects.get().visitor_phone == ""


def test_a_phone_number_must_be_a_number(client, specialist):
    response = book(
        client, specialist, preferred_format="phone", visitor_phone="ring me!"
    )

    assert response.status_code == 400
    assert "Enter a phone number with digits only" in response.content.decode()


# After booking: one wording for the page, the calendar file (and emails)


@pytest.mark.parametrize(
    ("overrides", "visitor_text", "location"),
    [
        ({}, f"By video: join with this link at the booked time: {LINK}", LINK),
        (
            {"preferred_format": "phone", "visitor_phone": VISITOR_NUMBER},
            f"By phone: Rowan Example calls you on {VISITOR_NUMBER} at the booked time.",
            "Phone: the specialist calls you",
        ),
        (
            {"preferred_format": "in_person"},
            "In person, at: Practice Example, Hidden Lane 7, 10115 Berlin",
            "Practice Example, Hidden Lane 7, 10115 Berlin",
        ),
    ],
)
def test_confirmation_page_and_calendar_file_give_the_details(
    client, specialist, overrides, visitor_text, location
):
    response = book(client, specialist, **overrides)
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.meeting_details().for_visitor == visitor_text

    page = parse_html(client.get("/consultations/booked/").content)
    assert page.find("p", class_="meeting-details").text == visitor_text

    calendar = Calendar.from_ical(
        services.emails.calendar_for(
            booking, organizer_email="noreply@localhost", attendee_email=booking.email
        )
    )
    [event] = calendar.walk("VEVENT")
    assert str(event["LOCATION"]) == location
    assert str(event["DESCRIPTION"]) == visitor_text
    assert str(event["SUMMARY"]) == "Appointment"


def test_video_link_on_the_confirmation_page_is_a_link(client, specialist):
    book(client, specialist)

    page = parse_html(client.get("/consultations/booked/").content)

    assert page.find("p", class_="meeting-details").find("a").attrs["href"] == LINK


def test_when_visitors_call_they_get_the_number_after_booking(client, db):
    specialist = make_rowan(
        phone_direction="visitor_calls", phone_number=SPECIALIST_NUMBER
    )
    book(client, specialist, preferred_format="phone")

    booking = Booking.objects.get()
    details = booking.meeting_details()
    assert details.for_visitor == (
        f"By phone: please call Rowan Example on {SPECIALIST_NUMBER} at the booked time."
    )
    assert details.location == f"Phone: {SPECIALIST_NUMBER}"
    assert details.for_specialist == f"By phone: they call you on {SPECIALIST_NUMBER}."


def test_manage_page_and_its_calendar_file_give_the_details(client, specialist):
    booking, token = services.book_consultation(
        specialist=specialist,
        start=services.free_slots(specialist)[0],
        form_token="t1",
        manage_url=lambda token: f"http://testserver/consultations/manage/{token}/",
        name="Sam",
        email="sam@example.org",
        preferred_format="in_person",
        visitor_time_zone="Europe/Berlin",
    )

    page = parse_html(client.get(f"/consultations/manage/{token}/").content)
    ics = client.get(f"/consultations/manage/{token}/appointment.ics")

    assert "Hidden Lane 7" in page.find("p", class_="meeting-details").text
    [event] = Calendar.from_ical(ics.content).walk("VEVENT")
    assert "Hidden Lane 7" in str(event["LOCATION"])


# Safe contact

WISHES = {
    "no_voicemail": "on",
    "no_further_emails": "on",
    "only_at_booked_time": "on",
    "discreet_caller": "on",
    "contact_preferences": "Ask for Sam only",
}
WISH_TEXTS = [
    "Please do not leave a voicemail",
    "Do not email me after the confirmation (no reminder)",
    "Only call at the booked time",
    "Do not say where you are calling from if someone else answers",
    "Ask for Sam only",
]


def test_booking_form_offers_the_common_wishes_as_choices(client, specialist):
    page = parse_html(details_page(client, specialist).content)

    legend = page.find("fieldset", class_="field-group").find("legend")
    assert legend.text == "How you may be contacted"
    assert set(WISH_TEXTS[:4]) <= set(labels(page))
    # What still comes, next to the choice that stops the reminder.
    assert (
        "You still get the confirmation, and an email if the specialist cancels "
        "or changes your consultation: those are essential."
    ) in page.find("form").text


def test_specialist_sees_the_contact_wishes_first(client, db):
    user = make_verified_user()
    specialist = make_rowan(user=user)
    book(
        client,
        specialist,
        preferred_format="phone",
        visitor_phone=VISITOR_NUMBER,
        **WISHES,
    )
    client.force_login(user)

    page = parse_html(client.get("/specialists/me/consultations/").content)

    card = page.find("ul", class_="booking-list").find("li")
    first = next(child for child in card.iter() if child.tag in ("div", "p"))
    assert first.attrs.get("class") == "contact-wishes"
    assert [li.text for li in first.find_all("li")] == WISH_TEXTS
    assert f"By phone: you call them on {VISITOR_NUMBER}." in card.text


def test_contact_wishes_and_phone_stay_out_of_the_calendar_title(client, specialist):
    book(
        client,
        specialist,
        preferred_format="phone",
        visitor_phone=VISITOR_NUMBER,
        **WISHES,
    )
    booking = Booking.objects.get()

    ics = services.emails.calendar_for(
        booking, organizer_email="noreply@localhost", attendee_email=booking.email
    ).decode()

    [event] = Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Appointment"
    assert VISITOR_NUMBER not in str(event["LOCATION"])
    for text in WISH_TEXTS:
        assert text not in ics


def test_phone_and_wishes_are_in_your_data_and_purged_after_90_days(client, db):
    user = make_verified_user(email="sam@example.org")
    specialist = make_rowan()
    client.force_login(user)  # the details show for bookings made signed in
    book(
        client,
        specialist,
        preferred_format="phone",
        visitor_phone=VISITOR_NUMBER,
        **WISHES,
    )

    data = json.loads(client.get("/account/data/download/").content)

    [mine] = data["Free consultations booked with your email or account"]
    assert mine["phone"] == VISITOR_NUMBER
    assert mine["contact_wishes"] == WISH_TEXTS

    Booking.objects.update(start=timezone.now() - timedelta(days=91))
    call_command("purge_consultations", stdout=None)
    booking = Booking.objects.get()
    assert booking.visitor_phone == ""
    assert booking.safe_contact_wishes() == []


# Emails


def booked_by_phone(specialist, **details):
    booking, _token = services.book_consultation(
        specialist=specialist,
        start=services.free_slots(specialist)[0],
        form_token="t1",
        manage_url=lambda token: f"http://testserver/consultations/manage/{token}/",
        name="Sam",
        email="sam@example.org",
        preferred_format="phone",
        visitor_phone=VISITOR_NUMBER,
        visitor_time_zone="Europe/Berlin",
        **details,
    )
    return booking


def by_recipient(mailoutbox):
    return {m.to[0].rsplit("<", 1)[-1].rstrip(">"): m for m in mailoutbox}


def test_confirmation_emails_give_the_details_and_keep_wishes_out_of_subjects(
    specialist, mailoutbox, django_capture_on_commit_callbacks
):
    wishes = dict.fromkeys(Booking.SAFE_CONTACT_FIELDS, True)
    with django_capture_on_commit_callbacks(execute=True):
        booked_by_phone(specialist, contact_preferences="Ask for Sam only", **wishes)

    mails = by_recipient(mailoutbox)
    visitor, to_specialist = mails["sam@example.org"], mails[specialist.user.email]
    assert (
        f"By phone: Rowan Example calls you on {VISITOR_NUMBER} at the booked time."
        in visitor.body
    )
    assert f"By phone: you call them on {VISITOR_NUMBER}." in to_specialist.body
    assert to_specialist.body.index("Their contact wishes:") < (
        to_specialist.body.index("When:")
    )
    for text in WISH_TEXTS[:-1]:  # the ticked ones
        assert text in to_specialist.body
        assert text not in visitor.body
    # Their own words wait on the specialist's consultations page.
    assert WISH_TEXTS[-1] not in to_specialist.body
    for mail in mailoutbox:
        event = Calendar.from_ical(mail.attachments[0][1]).walk("VEVENT")[0]
        for private in (*WISH_TEXTS, VISITOR_NUMBER):
            assert private not in mail.subject
            assert private not in str(event["SUMMARY"])


def make_due(booking):
    """Starting in 20 hours, booked two days before."""
    start = timezone.now() + timedelta(hours=20)
    Booking.objects.filter(pk=booking.pk).update(
        start=start, created_at=start - timedelta(days=2)
    )


def test_reminder_gives_the_details(
    specialist, mailoutbox, django_capture_on_commit_callbacks
):
    make_due(booked_by_phone(specialist))
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=None)

    reminder = by_recipient(mailoutbox)["sam@example.org"]
    assert reminder.subject.startswith("Reminder")
    assert f"calls you on {VISITOR_NUMBER}" in reminder.body


def test_no_reminder_to_a_visitor_who_asked_for_no_further_emails(
    specialist, mailoutbox, django_capture_on_commit_callbacks
):
    make_due(booked_by_phone(specialist, no_further_emails=True))
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=None)

    # The specialist is still reminded; the booking is not reminded twice.
    assert list(by_recipient(mailoutbox)) == [specialist.user.email]
    assert Booking.objects.get().reminder_sent_at is not None


def test_a_cancellation_by_the_specialist_still_reaches_that_visitor(
    specialist, mailoutbox, django_capture_on_commit_callbacks
):
    booking = booked_by_phone(specialist, no_further_emails=True)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(booking=booking, by="specialist", reason="Ill")

    assert list(by_recipient(mailoutbox)) == ["sam@example.org"]
