"""The specialist's dashboard: one home for the profile's review state, their
consultations, messages and hours, each with a link to act on it."""

import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.models import User
from messaging.models import Conversation
from specialists.models import Specialist
from tests.factories import (
    make_bookable_specialist,
    make_booking,
    make_specialist,
    make_verified_user,
)
from tests.html import parse_html


def words(text):
    return re.sub(r"\s+", " ", text).strip()


def dashboard(client):
    response = client.get("/specialists/me/")
    assert response.status_code == 200
    return parse_html(response.content).find("main")


def section(main, title):
    for candidate in main.find_all("section"):
        if words(candidate.find("h2").text) == title:
            return candidate
    raise AssertionError(f"no section {title!r}")


def links(element):
    return {words(a.text): a.attrs["href"] for a in element.find_all("a")}


def buttons(element):
    return [words(b.text) for b in element.find_all("button")]


@pytest.fixture
def owner_client(client, db):
    """Logs in as the owner of `specialist`: owner_client(specialist)."""

    def log_in(specialist):
        client.force_login(specialist.user)
        return client

    return log_in


def test_anyone_without_a_profile_is_sent_to_create_one(client, db):
    client.force_login(make_verified_user())

    response = client.get("/specialists/me/")

    assert response.status_code == 302
    assert response.url == "/specialists/new/"


def test_anonymous_visitors_are_asked_to_log_in(client, db):
    response = client.get("/specialists/me/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/specialists/me/"


def test_a_draft_can_be_submitted_edited_and_previewed(owner_client):
    specialist = make_specialist(status=Specialist.Status.DRAFT)
    profile = section(dashboard(owner_client(specialist)), "Profile")

    assert "Status: Draft" in words(profile.text)
    assert "only you can see it" in profile.text
    assert buttons(profile) == ["Submit for review"]
    assert profile.find("form").attrs["action"] == "/specialists/me/submit/"
    assert links(profile) == {
        "Edit profile": "/specialists/me/edit/",
        "Preview your page": specialist.get_absolute_url(),
        "Email notifications": "/specialists/me/notifications/",
    }


def test_a_submitted_profile_says_since_when_it_waits(owner_client):
    specialist = make_specialist(
        status=Specialist.Status.PENDING,
        submitted_at=timezone.now().replace(year=2026, month=3, day=5),
    )
    profile = section(dashboard(owner_client(specialist)), "Profile")

    text = words(profile.text)
    assert "Status: Waiting for review" in text
    assert "You submitted your profile on 5 March 2026." in text
    assert buttons(profile) == []
    assert "Preview your page" in links(profile)


def test_requested_changes_show_the_reason_and_how_to_resubmit(owner_client):
    specialist = make_specialist(
        status=Specialist.Status.CHANGES_REQUESTED,
        review_note="Please add your registration number.",
    )
    profile = section(dashboard(owner_client(specialist)), "Profile")

    assert "Status: Changes requested" in words(profile.text)
    assert words(profile.find("blockquote").text) == (
        "Please add your registration number."
    )
    assert buttons(profile) == ["Submit again for review"]
    assert links(profile)["Edit profile"] == "/specialists/me/edit/"


def test_an_approved_profile_links_to_its_public_page(owner_client):
    specialist = make_specialist()
    profile = section(dashboard(owner_client(specialist)), "Profile")

    assert "Your profile is public in the directory." in profile.text
    assert buttons(profile) == []
    assert links(profile) == {
        "Edit profile": "/specialists/me/edit/",
        "View public page": specialist.get_absolute_url(),
        "Email notifications": "/specialists/me/notifications/",
    }


def test_upcoming_consultations_show_the_next_three_and_the_count(owner_client):
    specialist = make_bookable_specialist(time_zone="Asia/Kolkata")
    bookings = [make_booking(specialist) for _ in range(4)]
    make_booking(specialist, status="cancelled")
    make_booking(specialist, start=timezone.now() - timezone.timedelta(days=2))

    consultations = section(dashboard(owner_client(specialist)), "Consultations")

    assert "4 upcoming consultations." in consultations.text
    shown = [words(item.text) for item in consultations.find("ul").find_all("li")]
    zone = ZoneInfo("Asia/Kolkata")
    assert shown == [
        f"{b.start.astimezone(zone):%a %-d %b, %H:%M} · Video" for b in bookings[:3]
    ]
    assert "Times in Asia/Kolkata." in consultations.text
    assert links(consultations)["Your consultations"] == (
        "/specialists/me/consultations/"
    )


def test_no_upcoming_consultations_says_so(owner_client):
    consultations = section(dashboard(owner_client(make_specialist())), "Consultations")

    assert "0 upcoming consultations." in consultations.text
    assert "Your consultations" in links(consultations)


def conversation_with(specialist, *, unread, user=None):
    now = timezone.now()
    return Conversation.objects.create(
        user=user or make_verified_user(),
        specialist=specialist,
        visitor_number=1000 + Conversation.objects.count(),
        last_message_at=now,
        specialist_read_at=None if unread else now,
    )


def test_unread_messages_are_counted_with_a_link_to_the_inbox(owner_client):
    specialist = make_specialist()
    conversation_with(specialist, unread=True)
    conversation_with(specialist, unread=True)
    conversation_with(specialist, unread=False)
    conversation_with(make_specialist(), unread=True)  # someone else's

    messages = section(dashboard(owner_client(specialist)), "Messages")

    assert "2 conversations have unread messages." in messages.text
    assert links(messages)["Your messages"] == "/messages/"


def test_no_unread_messages_says_so(owner_client):
    messages = section(dashboard(owner_client(make_specialist())), "Messages")

    assert "No unread messages." in messages.text


def test_hours_show_the_next_free_time_and_the_week_in_one_line(owner_client):
    specialist = make_bookable_specialist(
        windows=[(0, "09:00", "12:00"), (0, "14:00", "17:00"), (1, "10:00", "11:30")],
        time_zone="America/New_York",
    )
    next_free = Specialist.objects.with_next_free().get(pk=specialist.pk).next_free

    hours = section(dashboard(owner_client(specialist)), "Hours")

    text = words(hours.text)
    local = next_free.astimezone(ZoneInfo("America/New_York"))
    assert f"Next free time: {local:%A %-d %B, %H:%M}" in text
    assert "Mon 09:00–12:00, 14:00–17:00 · Tue 10:00–11:30" in text
    assert (
        "In America/New_York. Bookings need 12 hours' notice and open 30 days ahead."
        in text
    )
    assert links(hours)["Set your hours"] == "/specialists/me/availability/"


def test_hours_say_when_nobody_can_book(owner_client):
    specialist = make_specialist()  # offers free consultations, but no hours

    text = words(section(dashboard(owner_client(specialist)), "Hours").text)

    assert "No free time is open for booking now" in text
    assert "You have not set any weekly hours yet" in text


def test_hours_say_when_free_consultations_are_switched_off(owner_client):
    specialist = make_specialist(offers_free_consultation=False)

    text = words(section(dashboard(owner_client(specialist)), "Hours").text)

    assert "You do not offer free consultations at the moment." in text


def test_hours_of_a_profile_not_yet_public_say_booking_waits_for_approval(
    owner_client,
):
    specialist = make_bookable_specialist(status=Specialist.Status.PENDING)

    text = words(section(dashboard(owner_client(specialist)), "Hours").text)

    assert "Visitors can book you once your profile is approved." in text
    assert "Mon 09:00–17:00" in text


def add_bookings_and_conversations(specialist, count):
    for _ in range(count):
        make_booking(specialist)
    users = User.objects.bulk_create(
        User(email=f"writer{n}@example.com") for n in range(count)
    )
    now = timezone.now()
    Conversation.objects.bulk_create(
        Conversation(
            user=user, specialist=specialist, last_message_at=now, visitor_number=n
        )
        for n, user in enumerate(users, start=1000)
    )


@pytest.mark.parametrize("count", [1, 200])
def test_the_dashboard_query_count_does_not_grow(
    owner_client, django_assert_max_num_queries, count
):
    specialist = make_bookable_specialist()
    add_bookings_and_conversations(specialist, count)
    client = owner_client(specialist)

    # Session, user, profile, the menu's two (profile, unread), upcoming
    # count and list, unread as specialist, hours and their windows.
    with django_assert_max_num_queries(10):
        main = dashboard(client)

    assert f"{count} upcoming consultation" in main.text
    assert f"{count} conversation" in main.text
