"""The benchmark data generator, on the test database (SQLite, or PostgreSQL
in CI's PostgreSQL leg)."""

import pytest
from django.utils import timezone

from bench import data
from consultations.models import Booking
from messaging.models import Conversation
from questions.models import Answer, Question
from specialists.models import FreeSlot, Specialist


def test_seed_writes_specialists_bookings_questions_and_a_login(db, client):
    manifest = data.seed(specialists=40, bookings=20, questions=15)

    approved = Specialist.objects.approved()
    assert approved.count() == 41  # and the one who logs in
    assert not approved.exclude(photo="").exists()
    assert not approved.filter(search_text="").exists()
    assert not approved.filter(topics=None).exists()
    assert not approved.filter(languages=None).exists()
    assert Booking.objects.count() == 22  # and the login's two
    assert Question.objects.count() == 15
    assert not Question.objects.filter(answers=None).exists()
    assert Answer.objects.filter(is_accepted=True).count() == 5
    # Every specialist with hours is bookable now, and no free slot is booked.
    assert (
        approved.bookable().count()
        == approved.filter(offers_free_consultation=True).count()
    )
    booked = set(Booking.objects.values_list("specialist", "start"))
    assert not booked & set(FreeSlot.objects.values_list("specialist", "start"))
    assert len(manifest["slots"]) == approved.bookable().count() - 1

    assert client.login(email=manifest["login_email"], password=manifest["login_password"])  # fmt: skip
    assert client.get("/specialists/me/").status_code == 200
    assert client.get(manifest["conversation"]).status_code == 200
    assert Conversation.objects.get(pk=manifest["conversation"].split("/")[2])


def test_bulk_free_slots_are_those_refresh_free_slots_writes(db):
    now = timezone.now()
    data.seed(specialists=12, bookings=6, questions=1, now=now)
    with_hours = list(Specialist.objects.filter(availability__isnull=False))

    # Raises when any specialist's rows differ from the site's own refresh.
    data.check_free_slots(with_hours, now)


def test_check_free_slots_notices_a_missing_row(db):
    now = timezone.now()
    data.seed(specialists=4, bookings=2, questions=1, now=now)
    specialist = Specialist.objects.filter(availability__isnull=False).first()
    FreeSlot.objects.filter(specialist=specialist).order_by("start").first().delete()

    with pytest.raises(RuntimeError, match=specialist.slug):
        data.check_free_slots([specialist], now)
