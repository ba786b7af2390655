"""Twenty visitors press "Book" for the same slot at the same moment.

Runs against a real file database (SQLite here, PostgreSQL in CI's second
run) with one connection per thread, as gunicorn workers would have. The
unique constraint on active bookings is the guard: remove it and this test
fails, because the slot check before the insert lets several through.
"""

import threading

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client

from consultations import services
from consultations.models import Booking
from tests.factories import make_bookable_specialist
from tests.html import parse_html

VISITORS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_visitors_racing_for_one_slot_get_exactly_one_booking():
    assert (
        connection.vendor == "postgresql"
        or connection.settings_dict["NAME"] != ":memory:"
    )
    cache.clear()
    specialist = make_bookable_specialist(slug="rowan")
    slot = services.free_slots(specialist)[0]
    start_together = threading.Barrier(VISITORS)
    responses = [None] * VISITORS

    def visitor(n):
        try:
            client = Client(REMOTE_ADDR=f"198.51.100.{n}")
            start_together.wait()
            responses[n] = client.post(
                "/specialists/rowan/book/",
                {
                    "slot": slot.isoformat(),
                    "token": f"token-{n}",
                    "tz": "Europe/Berlin",
                    "name": f"Visitor {n}",
                    "email": f"visitor{n}@example.org",
                    "preferred_format": "video",
                    "consent": "on",
                },
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=visitor, args=(n,)) for n in range(VISITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Booking.objects.filter(specialist=specialist, start=slot).count() == 1
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [302] + [409] * (VISITORS - 1)
    for response in responses:
        if response.status_code == 409:
            page = parse_html(response.content)
            assert (
                "this time was just taken"
                in page.find("div", class_="error-summary").text
            )
            offered = [
                radio.attrs["value"]
                for radio in page.find_all("input", type="radio", name="slot")
            ]
            assert offered and slot.isoformat() not in offered  # fresh slots
    cache.clear()
