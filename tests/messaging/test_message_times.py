"""Message times in the reader's own zone, with the zone named."""

from datetime import UTC, datetime

import pytest

from messaging.models import Conversation, Message
from tests.html import parse_html

from .test_messages import client_for, people, send  # noqa: F401 (fixture)

WINTER = datetime(2026, 1, 15, 13, 5, tzinfo=UTC)


@pytest.fixture
def conversation(people):  # noqa: F811
    client = client_for(people["person"])
    response = send(client, "Hello")
    Message.objects.update(created_at=WINTER)
    return client, response["Location"]


def times(client, url):
    page = parse_html(client.get(url).content)
    return [(t.attrs["datetime"], t.text) for t in page.find("main").find_all("time")]


def test_message_times_are_in_the_zone_the_browser_reported(conversation):
    client, url = conversation
    client.cookies["tz"] = "Europe/Berlin"

    assert times(client, url) == [
        ("2026-01-15T13:05:00+00:00", "15 January 2026, 14:05 (Berlin time, UTC+1)")
    ]


def test_without_a_reported_zone_message_times_say_utc(conversation):
    client, url = conversation

    assert times(client, url) == [
        ("2026-01-15T13:05:00+00:00", "15 January 2026, 13:05 (UTC)")
    ]


def test_a_forged_zone_cookie_is_ignored(conversation):
    client, url = conversation
    client.cookies["tz"] = "../../etc/passwd"

    assert times(client, url)[0][1] == "15 January 2026, 13:05 (UTC)"


def test_the_inbox_shows_the_last_message_time_in_the_readers_zone(conversation):
    client, _url = conversation
    client.cookies["tz"] = "America/New_York"
    Conversation.objects.update(last_message_at=WINTER)

    assert times(client, "/messages/") == [
        ("2026-01-15T13:05:00+00:00", "15 January 2026, 08:05 (New York time, UTC-5)")
    ]
