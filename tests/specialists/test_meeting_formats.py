"""A format is offered with what a booked visitor needs to meet: a video
link, who calls whom (and a number to call), an address. Before booking the
profile says how it works; the details themselves never appear in public."""

import json

import pytest

from specialists.models import Specialist
from tests.factories import (
    make_bookable_specialist,
    make_specialist,
    make_verified_user,
)
from tests.html import parse_html

from .test_profile import profile_data

LINK = "https://meet.example.org/secret-room-42"
ADDRESS = "Practice Example, Hidden Lane 7"
NUMBER = "+49 30 1234567"


@pytest.fixture
def specialist_client(client, db):
    user = make_verified_user()
    client.force_login(user)
    client.user = user
    return client


def field_errors(response, name):
    """The error texts shown next to one field (in its field group)."""
    group = parse_html(response.content).find(id=f"id_{name}").parent
    errors = group.find("ul", class_="errorlist")
    return [li.text for li in errors.find_all("li")] if errors else []


def save_profile(client, **overrides):
    return client.post("/specialists/new/", profile_data(**overrides))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"video_link": ""}, "video_link", "To offer video, give the link visitors use to join."),
        ({"video_link": "http://meet.example.org/x"}, "video_link", "Enter a full link that starts with https://."),
        ({"offers_phone": "on"}, "phone_direction", "To offer phone, choose who calls whom."),
        ({"offers_phone": "on", "phone_direction": "visitor_calls"}, "phone_number", "Visitors call you: give the number they call."),
        ({"offers_phone": "on", "phone_direction": "visitor_calls", "phone_number": "call me maybe"}, "phone_number", "Enter a phone number with digits only, for example +49 30 1234567."),
        ({"offers_in_person": "on"}, "address", "To meet in person, give the address."),
        ({"offers_in_person": "on", "address": ADDRESS, "city": ""}, "city", "To meet in person, give the city (your profile shows it)."),
    ],
)  # fmt: skip
def test_a_format_without_its_details_cannot_be_offered(
    specialist_client, overrides, field, message
):
    response = save_profile(specialist_client, **overrides)

    assert response.status_code == 200
    assert not Specialist.objects.exists()
    assert message in field_errors(response, field)


def test_a_format_with_its_details_is_saved(specialist_client):
    response = save_profile(
        specialist_client,
        offers_phone="on",
        phone_direction="visitor_calls",
        phone_number=NUMBER,
        offers_in_person="on",
        address=f"  {ADDRESS}\n\n  10115 Berlin ",
    )

    assert response.status_code == 302
    specialist = Specialist.objects.get()
    assert specialist.meeting_formats() == ["video", "phone", "in_person"]
    assert specialist.address == f"{ADDRESS}\n10115 Berlin"


def test_free_consultations_cannot_be_switched_on_without_a_way_to_meet(client, db):
    user = make_verified_user()
    make_specialist(user=user, video_link="", offers_free_consultation=False)
    client.force_login(user)

    response = client.post(
        "/specialists/me/availability/",
        {
            "minimum_notice_hours": "12",
            "horizon_days": "30",
            "offers_free_consultation": "on",
            "windows-TOTAL_FORMS": "0",
            "windows-INITIAL_FORMS": "0",
            "dates-TOTAL_FORMS": "0",
            "dates-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert field_errors(response, "offers_free_consultation") == [
        "Visitors need a way to meet you first: on your profile, choose video, "
        "phone or in person and give its details."
    ]
    assert not Specialist.objects.get().offers_free_consultation


@pytest.fixture
def everywhere(db):
    """A public specialist offering all three formats (and free times)."""
    return make_bookable_specialist(
        slug="rowan",
        display_name="Rowan Example",
        city="Berlin",
        video_link=LINK,
        offers_phone=True,
        phone_direction="visitor_calls",
        phone_number=NUMBER,
        offers_in_person=True,
        address=ADDRESS,
    )


def test_profile_says_how_each_format_works_before_booking(client, everywhere):
    page = parse_html(client.get("/specialists/rowan/").content)

    ways = [li.text for li in page.find("div", class_="how-it-works").find_all("li")]
    assert ways == [
        "By video: you get a meeting link after booking.",
        "By phone: you call the specialist at the booked time; the number is in "
        "your confirmation.",
        "In person in Berlin: the address is in your confirmation.",
    ]


def test_profile_says_the_specialist_calls_when_they_do(client, db):
    make_bookable_specialist(
        slug="kim",
        offers_video=False,
        offers_phone=True,
        phone_direction="specialist_calls",
    )

    page = parse_html(client.get("/specialists/kim/").content)

    assert [
        li.text for li in page.find("div", class_="how-it-works").find_all("li")
    ] == ["By phone: the specialist calls you at the booked time."]


def test_meeting_details_are_never_public(client, everywhere):
    pages = {
        url: client.get(url).content.decode()
        for url in (
            "/specialists/rowan/",
            "/specialists/",
            "/specialists/?format=in_person",
            "/consultations/free/",
            "/specialists/rowan/book/",
        )
    }

    for url, html in pages.items():
        for secret in (LINK, "secret-room", ADDRESS, "Hidden Lane", NUMBER):
            assert secret not in html, (url, secret)
    json_ld = parse_html(pages["/specialists/rowan/"].encode()).find(
        "script", type="application/ld+json"
    )
    assert "Berlin" in json.loads(json_ld.text)["address"]["addressLocality"]
