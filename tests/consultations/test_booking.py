import io
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from consultations import services
from consultations.models import Booking
from core.timezones import TIME_ZONES
from outbox.models import OutboxMessage
from tests.factories import (
    index_with_even_neighbours,
    make_bookable_specialist,
    make_verified_user,
)
from tests.html import parse_html
from tests.smtp import Inbox, free_port, use_smtp


@pytest.fixture(autouse=True)
def fresh_rate_limits(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def specialist(db):
    return make_bookable_specialist(slug="rowan", display_name="Rowan Example")


def first_free_slot(specialist):
    return services.free_slots(specialist)[0]


def booking_data(slot, /, **overrides):
    data = {
        "slot": slot.isoformat(),
        "token": overrides.pop("token", "form-token-1"),
        "tz": "America/New_York",
        "name": "Sam",
        "email": "sam@example.org",
        "preferred_format": "video",
        "contact_preferences": "Email only",
        "note": "",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_slot_picker_shows_slots_in_the_visitors_time_zone(client, specialist):
    slot = first_free_slot(specialist)

    response = client.get("/specialists/rowan/book/", {"tz": "America/New_York"})

    page = parse_html(response.content)
    offset = "UTC-4" if slot.astimezone(ZoneInfo("America/New_York")).dst() else "UTC-5"
    assert page.find("p", class_="tz-note").text == (
        f"Times are shown in New York time, {offset}."
    )
    first = page.find("a", class_="slot")
    local = slot.astimezone(ZoneInfo("America/New_York"))
    assert first.text == local.strftime("%H:%M")


def picker_zone(response):
    page = parse_html(response.content)
    options = page.find("select", name="tz").find_all("option")
    [chosen] = [option for option in options if "selected" in option.attrs]
    return chosen.attrs["value"]


def test_without_javascript_times_are_in_the_specialists_zone_named_plainly(
    client, specialist
):
    response = client.get("/specialists/rowan/book/")

    page = parse_html(response.content)
    assert page.find("p", class_="tz-note").text.startswith(
        "Times are shown in Berlin time, UTC+"
    )
    assert picker_zone(response) == "Europe/Berlin"
    local = first_free_slot(specialist).astimezone(ZoneInfo("Europe/Berlin"))
    assert page.find("a", class_="slot").text == local.strftime("%H:%M")


def test_the_zone_the_browser_reported_is_used_and_a_bad_one_ignored(
    client, specialist
):
    client.cookies["tz"] = "Asia/Kolkata"
    assert picker_zone(client.get("/specialists/rowan/book/")) == "Asia/Kolkata"
    # A zone chosen on the page wins over the browser's.
    response = client.get("/specialists/rowan/book/", {"tz": "Africa/Lagos"})
    assert picker_zone(response) == "Africa/Lagos"

    client.cookies["tz"] = "Mars/Olympus"
    assert picker_zone(client.get("/specialists/rowan/book/")) == "Europe/Berlin"


def test_the_zone_list_starts_with_common_zones_by_region_then_all(client, specialist):
    page = parse_html(client.get("/specialists/rowan/book/").content)

    groups = page.find("select", name="tz").find_all("optgroup")
    labels = [group.attrs["label"] for group in groups]
    assert labels == [
        "Europe",
        "Americas",
        "Asia",
        "Africa",
        "Oceania",
        "All time zones",
    ]
    common = sum(len(group.find_all("option")) for group in groups[:-1])
    assert 20 <= common <= 35
    kolkata = groups[2].find("option", value="Asia/Kolkata")
    assert kolkata.text == "India"
    every = [option.attrs["value"] for option in groups[-1].find_all("option")]
    assert every == TIME_ZONES


def test_visitor_books_a_slot_without_an_account(client, specialist):
    slot = first_free_slot(specialist)

    response = client.post("/specialists/rowan/book/", booking_data(slot))

    assert response.status_code == 302
    assert response["Location"] == "/consultations/booked/"
    booking = Booking.objects.get()
    assert booking.start == slot
    assert booking.visitor_time_zone == "America/New_York"
    confirmation = client.get("/consultations/booked/").content.decode()
    assert "sam@example.org" in confirmation


def test_resubmitted_form_books_once(client, specialist):
    slot = first_free_slot(specialist)

    client.post("/specialists/rowan/book/", booking_data(slot))
    again = client.post("/specialists/rowan/book/", booking_data(slot))

    assert again.status_code == 302
    assert Booking.objects.count() == 1


def test_a_taken_slot_keeps_everything_typed_and_offers_the_nearest_free_times(
    client, specialist
):
    free = services.free_slots(specialist)
    i = index_with_even_neighbours(free)
    wanted = free[i]
    client.post("/specialists/rowan/book/", booking_data(wanted))
    typed = booking_data(
        wanted,
        token="other-token",
        name="Robin",
        email="robin@example.org",
        preferred_format="video",
        contact_preferences="No voicemail",
        note="Evenings are best",
    )

    response = Client().post("/specialists/rowan/book/", typed)

    assert response.status_code == 409
    page = parse_html(response.content)
    summary = page.find("div", class_="error-summary")
    assert (summary.attrs["role"], summary.attrs["tabindex"]) == ("alert", "-1")
    assert "this time was just taken" in summary.text
    assert summary.find("a").attrs["href"] == "#id_slot"
    assert page.find("input", name="name").attrs["value"] == "Robin"
    assert page.find("input", name="email").attrs["value"] == "robin@example.org"
    assert page.find("input", name="contact_preferences").attrs["value"] == (
        "No voicemail"
    )
    assert page.find("textarea", name="note").text.strip() == "Evenings are best"
    assert "checked" in page.find("input", name="preferred_format").attrs
    assert "checked" in page.find("input", name="consent").attrs
    # The nearest free times around the wanted one, in the visitor's zone.
    radios = page.find_all("input", type="radio", name="slot")
    offered = [radio.attrs["value"] for radio in radios]
    assert offered == [s.isoformat() for s in free[i - 3 : i] + free[i + 1 : i + 4]]
    assert all(radio.attrs["aria-invalid"] == "true" for radio in radios)
    label = radios[0].parent.text.strip()
    local = free[i - 3].astimezone(ZoneInfo("America/New_York"))
    assert label == f"{local:%A} {local.day} {local:%B}, {local:%H:%M}"

    # One more submit, with one of them chosen, books it.
    typed["slot"] = offered[0]
    response = Client().post("/specialists/rowan/book/", typed)

    assert response.status_code == 302
    booking = Booking.objects.get(email="robin@example.org")
    assert (booking.start, booking.note) == (free[i - 3], "Evenings are best")


@pytest.mark.parametrize(
    "make_slot",
    [
        lambda s: timezone.now() - timedelta(days=1),  # in the past
        lambda s: s + timedelta(minutes=15),  # off the half-hour grid
        lambda s: s.replace(hour=3),  # outside hours (night in Berlin)
        lambda s: s + timedelta(days=60),  # beyond the horizon
    ],
)
def test_a_slot_that_is_not_offered_is_refused(client, specialist, make_slot):
    slot = make_slot(first_free_slot(specialist))

    response = client.post("/specialists/rowan/book/", booking_data(slot))

    assert response.status_code == 409
    assert Booking.objects.count() == 0


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"slot": "2026-13-45T99:00"}, "Please choose a time from the list."),
        (
            {"slot": "2027-01-04T10:00:00"},
            "Please choose a time from the list.",
        ),  # naive
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"note": "x" * 1001}, "at most 1000 characters"),
        ({"consent": ""}, "Please agree to the privacy notice to book."),
        ({"website": "http://spam.example"}, "Please leave this field empty."),
    ],
)
def test_bad_input_is_a_clear_message_and_books_nothing(
    client, specialist, overrides, message
):
    slot = first_free_slot(specialist)

    response = client.post("/specialists/rowan/book/", booking_data(slot, **overrides))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Booking.objects.count() == 0


def test_a_tampered_specialist_is_refused(client, specialist, db):
    other = make_bookable_specialist(slug="other", windows=[(6, "20:00", "21:00")])
    slot = first_free_slot(specialist)  # a time only Rowan offers

    response = client.post("/specialists/other/book/", booking_data(slot))

    assert response.status_code == 409
    assert not Booking.objects.filter(specialist=other).exists()


def normalised(response):
    """Status and body with what differs on every request taken out: the
    CSRF token, the form token and the private link's token."""
    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)
    body = re.sub(r'name="token" value="[^"]*"', "", body)
    body = re.sub(r"/consultations/manage/[^/\s\"<]+/", "/manage/TOKEN/", body)
    return response.status_code, body


def book_as_outsider(specialist, slot, email):
    """Book `slot` for `email` in a fresh browser; (answer, confirmation page)."""
    outsider = Client()
    answer = outsider.post(
        f"/specialists/{specialist.slug}/book/",
        booking_data(slot, token=f"outsider-{slot:%d%H%M}", email=email),
    )
    return normalised(answer), normalised(outsider.get("/consultations/booked/"))


def forget(email):
    Booking.objects.filter(email=email).delete()
    cache.clear()


def test_booking_answers_the_same_whether_the_address_has_bookings_or_not(
    specialist, mailoutbox
):
    free = services.free_slots(specialist)
    fresh = book_as_outsider(specialist, free[1], "victim@example.org")
    forget("victim@example.org")
    # The victim has upcoming consultations with this specialist and others.
    Client().post("/specialists/rowan/book/", booking_data(free[5], token="v1", email="victim@example.org"))  # fmt: skip
    for n in range(3):
        other = make_bookable_specialist(slug=f"o{n}")
        Client().post(f"/specialists/o{n}/book/", booking_data(first_free_slot(other), token=f"o{n}", email="victim@example.org"))  # fmt: skip
    cache.clear()

    booked = book_as_outsider(specialist, free[1], "victim@example.org")

    assert booked == fresh
    assert fresh[0] == (302, "")
    assert Booking.objects.filter(email="victim@example.org").count() == 5


def correct_as_outsider(specialist, slot, email):
    outsider = Client()
    outsider.post(
        "/specialists/rowan/book/",
        booking_data(slot, token=f"c-{slot:%d%H%M}", email="outsider@example.org"),
    )
    answer = outsider.post("/consultations/booked/", {"email": email})
    return normalised(answer), normalised(outsider.get("/consultations/booked/"))


def test_correcting_the_address_answers_the_same_for_a_booked_and_a_fresh_one(
    specialist,
):
    free = services.free_slots(specialist)
    fresh = correct_as_outsider(specialist, free[1], "victim@example.org")
    forget("victim@example.org")
    Client().post("/specialists/rowan/book/", booking_data(free[5], token="v1", email="victim@example.org"))  # fmt: skip
    cache.clear()

    booked = correct_as_outsider(specialist, free[1], "victim@example.org")

    assert booked == fresh
    assert fresh[0] == (302, "")
    assert "If this address can receive email" in fresh[1][1]


def test_per_ip_rate_limit_refuses_with_a_clear_message(client, db):
    for n in range(11):
        specialist = make_bookable_specialist(slug=f"r{n}")
        response = client.post(
            f"/specialists/r{n}/book/",
            booking_data(
                first_free_slot(specialist), token=f"r{n}", email=f"p{n}@example.org"
            ),
        )
    assert response.status_code == 429
    assert "Too many booking attempts" in response.content.decode()


def test_rate_limited_booking_keeps_what_the_visitor_typed(client, db):
    for n in range(10):
        specialist = make_bookable_specialist(slug=f"k{n}")
        client.post(
            f"/specialists/k{n}/book/",
            booking_data(
                first_free_slot(specialist), token=f"k{n}", email=f"k{n}@example.org"
            ),
        )
    specialist = make_bookable_specialist(slug="last")
    slot = first_free_slot(specialist)

    response = client.post(
        "/specialists/last/book/",
        booking_data(
            slot,
            token="last",
            name="Robin",
            email="robin@example.org",
            note="Evenings are best",
        ),
    )

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    page = parse_html(response.content)
    assert "Too many booking attempts" in page.find("div", class_="error-summary").text
    assert page.find("input", name="name").attrs["value"] == "Robin"
    assert page.find("input", name="email").attrs["value"] == "robin@example.org"
    assert page.find("textarea", name="note").text.strip() == "Evenings are best"
    assert page.find("input", name="slot").attrs["value"] == slot.isoformat()
    assert not Booking.objects.filter(email="robin@example.org").exists()


def test_per_email_limit_holds_across_browsers_and_addresses(db):
    for n in range(5):
        specialist = make_bookable_specialist(slug=f"b{n}")
        Client().post(
            f"/specialists/b{n}/book/",
            booking_data(first_free_slot(specialist), token=f"b{n}"),
            REMOTE_ADDR=f"198.51.100.{n}",
        )
    specialist = make_bookable_specialist(slug="b5")

    response = Client().post(
        "/specialists/b5/book/",
        booking_data(first_free_slot(specialist), token="b5"),
        REMOTE_ADDR="198.51.100.99",
    )

    assert response.status_code == 429
    assert Booking.objects.count() == 5


def test_a_double_click_is_not_counted_as_another_attempt(client, specialist):
    data = booking_data(first_free_slot(specialist))
    for _ in range(6):
        response = client.post("/specialists/rowan/book/", data)

    assert response.status_code == 302
    assert Booking.objects.count() == 1


def test_correcting_the_email_counts_as_an_attempt_and_keeps_the_address(client, db):
    for n in range(10):  # this address's ten attempts in the hour
        specialist = make_bookable_specialist(slug=f"c{n}")
        client.post(
            f"/specialists/c{n}/book/",
            booking_data(
                first_free_slot(specialist), token=f"c{n}", email=f"c{n}@example.org"
            ),
        )

    response = client.post("/consultations/booked/", {"email": "typo@example.org"})

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    page = parse_html(response.content)
    assert "Too many booking attempts" in page.find("div", class_="error-summary").text
    assert page.find("input", name="email").attrs["value"] == "typo@example.org"
    assert not Booking.objects.filter(email="typo@example.org").exists()


def test_booking_page_makes_at_most_8_queries(
    client, specialist, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get("/specialists/rowan/book/", {"tz": "Europe/London"})
    assert response.status_code == 200


def test_specialist_without_free_consultations_cannot_be_booked(client, db):
    make_bookable_specialist(slug="paid", offers_free_consultation=False)

    assert client.get("/specialists/paid/book/").status_code == 404


def test_logged_in_user_has_name_and_email_filled_in(client, specialist):
    client.force_login(make_verified_user(email="me@example.org", name="Kim"))
    slot = first_free_slot(specialist)

    page = parse_html(
        client.get("/specialists/rowan/book/", {"slot": slot.isoformat()}).content
    )

    assert page.find("input", name="email").attrs["value"] == "me@example.org"
    assert page.find("input", name="name").attrs["value"] == "Kim"
    assert page.find("input", name="slot").attrs["value"] == slot.isoformat()


def test_naive_slot_helper_rejects_datetimes_without_zone():
    from consultations.forms import parse_slot

    assert parse_slot("2027-01-04T10:00:00") is None
    assert parse_slot("2027-01-04T10:00:00+00:00") == datetime(
        2027, 1, 4, 10, tzinfo=UTC
    )


def test_mail_server_down_never_loses_a_booking_and_mail_follows_later(
    client, specialist, settings, django_capture_on_commit_callbacks
):
    port = free_port()
    use_smtp(settings, port)  # nothing listens there yet
    slot = first_free_slot(specialist)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/specialists/rowan/book/", booking_data(slot))

    assert response.status_code == 302
    booking = Booking.objects.get()
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 2

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        OutboxMessage.objects.update(next_attempt_at=timezone.now())
        call_command("send_queued_mail", stdout=io.StringIO())
    finally:
        controller.stop()

    recipients = sorted(r for rs, _message in inbox.messages for r in rs)
    assert recipients == sorted(["sam@example.org", specialist.user.email])
    assert Booking.objects.get() == booking


def test_visitor_corrects_a_mistyped_email_on_the_confirmation_page(
    client, specialist, mailoutbox, django_capture_on_commit_callbacks
):
    slot = first_free_slot(specialist)
    client.post("/specialists/rowan/book/", booking_data(slot, email="sam@exmaple.org"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/consultations/booked/", {"email": "sam@example.org"}, follow=True
        )

    assert "the confirmation is on its way there" in response.content.decode()
    assert Booking.objects.get().email == "sam@example.org"
    assert any(
        m.to[0].endswith("<sam@example.org>") or m.to[0] == "sam@example.org"
        for m in mailoutbox
    )


def test_per_email_rate_limit_counts_across_addresses(client, db):
    for n in range(6):
        specialist = make_bookable_specialist(slug=f"e{n}")
        response = client.post(
            f"/specialists/e{n}/book/",
            booking_data(
                first_free_slot(specialist), token=f"e{n}", email="same@example.org"
            ),
            REMOTE_ADDR=f"203.0.113.{n}",
        )
    assert response.status_code == 429
    assert "Too many booking attempts" in response.content.decode()


@pytest.mark.parametrize(
    "slot", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59+00:00"]
)
def test_a_slot_at_the_edge_of_time_is_refused_not_an_error(client, specialist, slot):
    response = client.get(
        "/specialists/rowan/book/", {"slot": slot, "tz": "Pacific/Kiritimati"}
    )

    assert response.status_code == 200
    assert 'class="slot"' in response.content.decode()


def test_the_address_can_be_corrected_once_and_only_the_visitor_is_emailed(
    client, specialist, mailoutbox, django_capture_on_commit_callbacks
):
    client.post("/specialists/rowan/book/", booking_data(first_free_slot(specialist)))

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/consultations/booked/", {"email": "first@example.org"})
        second = client.post("/consultations/booked/", {"email": "victim@example.org"})

    assert "can no longer be changed" in second.content.decode()
    assert Booking.objects.get().email == "first@example.org"
    recipients = [address for m in mailoutbox for address in m.to]
    assert not any("victim@example.org" in r for r in recipients)
    assert not any(specialist.user.email in r for r in recipients)


def test_the_address_cannot_be_corrected_after_half_an_hour(client, specialist):
    client.post("/specialists/rowan/book/", booking_data(first_free_slot(specialist)))
    Booking.objects.update(created_at=timezone.now() - timedelta(minutes=31))

    response = client.post("/consultations/booked/", {"email": "other@example.org"})

    assert Booking.objects.get().email == "sam@example.org"
    assert "Correct it" not in response.content.decode()


def test_only_the_address_itself_hears_of_its_other_booking(
    specialist, mailoutbox, django_capture_on_commit_callbacks
):
    free = services.free_slots(specialist)
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/specialists/rowan/book/", booking_data(free[5], token="v1", email="victim@example.org"))  # fmt: skip
    assert len(mailoutbox) == 2
    assert all("already had another" not in m.body for m in mailoutbox)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        book_as_outsider(specialist, free[1], "victim@example.org")

    to_visitor = [m for m in mailoutbox if "victim@example.org" in m.to[0]]
    to_others = [m for m in mailoutbox if "victim@example.org" not in m.to[0]]
    assert len(to_visitor) == 1 and len(to_others) == 1
    assert "already had another upcoming consultation" in to_visitor[0].body
    assert "already had another" not in to_others[0].body
