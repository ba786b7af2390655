"""Offering a free consultation means being bookable: the directory, badges
and featured lists read FreeSlot, and FreeSlot must agree with the real slot
computation after every write and as time passes."""

import io
import itertools
from datetime import UTC, datetime, time, timedelta
from unittest.mock import patch

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consultations import services
from consultations.models import Availability, Booking, DateOff, WeeklyWindow
from specialists.models import FreeSlot, Specialist
from tests.factories import (
    make_article,
    make_bookable_specialist,
    make_specialist,
    make_verified_user,
)
from tests.html import parse_html

_tokens = itertools.count(1)


@pytest.fixture(autouse=True)
def fresh_rate_limits(db):
    cache.clear()
    yield
    cache.clear()


def book(specialist, start, *, now=None):
    n = next(_tokens)
    return services.book_consultation(
        specialist=specialist,
        start=start,
        form_token=f"bookable-{n}",
        manage_url=lambda token: "http://testserver/manage/",
        now=now,
        name=f"Visitor {n}",
        email=f"visitor{n}@example.org",
        preferred_format="video",
    )[0]


def free_badge_names(client, url):
    page = parse_html(client.get(url).content)
    return [
        card.find("h2").text.strip()
        for card in page.find_all("article", class_="specialist-card")
        if "Free consultation" in card.text
    ]


# --- the property: FreeSlot agrees with free_slots() -------------------------

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC"]
HOURS = st.tuples(
    st.integers(0, 6), st.integers(0, 22), st.sampled_from([30, 60, 90, 180])
).map(lambda w: (w[0], time(w[1]), min(w[1] * 60 + w[2], 24 * 60 - 1)))

OPERATIONS = st.one_of(
    st.tuples(st.just("book"), st.integers(0, 1), st.integers(0, 40)),
    st.tuples(
        st.just("cancel"), st.integers(0, 1), st.sampled_from(["visitor", "specialist"])
    ),  # fmt: skip
    st.tuples(st.just("reschedule"), st.integers(0, 1), st.integers(0, 40)),
    st.tuples(st.just("hours"), st.integers(0, 1), st.lists(HOURS, max_size=3)),
    st.tuples(st.just("date_off"), st.integers(0, 1), st.integers(0, 40)),
    st.tuples(
        st.just("notice"), st.integers(0, 1), st.sampled_from([0, 1, 12, 48, 200])
    ),  # fmt: skip
    st.tuples(
        st.just("horizon"), st.integers(0, 1), st.sampled_from([1, 2, 7, 30, 90])
    ),  # fmt: skip
    st.tuples(st.just("zone"), st.integers(0, 1), st.sampled_from(ZONES)),
    st.tuples(st.just("switch"), st.integers(0, 1), st.booleans()),
    # Time passes: at most seven days in all (FREE_SLOTS_LEAD), see below.
    st.tuples(st.just("wait"), st.just(0), st.integers(1, 3 * 24 * 60)),
)


def set_hours(specialist, windows):
    availability = specialist.availability
    availability.windows.all().delete()
    for weekday, start, end_minute in windows:
        WeeklyWindow.objects.create(
            availability=availability,
            weekday=weekday,
            start=start,
            end=time(end_minute // 60, end_minute % 60),
        )


def apply(operation, specialists, now):
    """One write, the way the site makes it: the booking services and the
    profile's save refresh by themselves; the availability page saves its
    forms, then refreshes."""
    kind, index, value = operation
    specialist = specialists[index]
    availability = specialist.availability
    if kind == "book":
        free = services.free_slots(specialist, now=now)
        if free:
            book(specialist, free[value % len(free)], now=now)
    elif kind == "cancel":
        booking = Booking.objects.upcoming().filter(specialist=specialist).first()
        if booking is not None:
            services.cancel(booking=booking, by=value)
    elif kind == "reschedule":
        booking = Booking.objects.upcoming().filter(specialist=specialist).first()
        free = services.free_slots(specialist, now=now)
        if booking is not None and free:
            services.reschedule(
                booking=booking,
                start=free[value % len(free)],
                manage_url="http://testserver/manage/",
                now=now,
            )
    elif kind == "hours":
        set_hours(specialist, value)
        services.refresh_free_slots(specialist, now=now)
    elif kind == "date_off":
        day = (now + timedelta(days=value)).date()
        if not DateOff.objects.filter(availability=availability, start=day).delete()[0]:
            DateOff.objects.create(availability=availability, start=day, end=day)
        services.refresh_free_slots(specialist, now=now)
    elif kind in ("notice", "horizon"):
        field = "minimum_notice_hours" if kind == "notice" else "horizon_days"
        setattr(availability, field, value)
        availability.save()
        services.refresh_free_slots(specialist, now=now)
    elif kind == "zone":
        # The profile form's full save; the consultations app listens.
        specialist.time_zone = value
        specialist.save()
    elif kind == "switch":
        specialist.offers_free_consultation = value
        specialist.save(update_fields=["offers_free_consultation", "updated_at"])
        services.refresh_free_slots(specialist, now=now)


def assert_copy_agrees(specialists, now, *, written_from):
    """Bookable and next free time as free_slots() says; and every free time
    in the week the copy must hold (each refresh came after `written_from`)
    is in it, and nothing else."""
    bookable = set(Specialist.objects.bookable(now).values_list("pk", flat=True))
    next_free = dict(
        Specialist.objects.with_next_free(now).values_list("pk", "next_free")
    )
    for specialist in specialists:
        specialist.refresh_from_db()
        free = services.free_slots(specialist, now=now)
        expected = free[0] if free and specialist.offers_free_consultation else None
        assert (specialist.pk in bookable) == (expected is not None)
        assert next_free[specialist.pk] == expected
        notice = timedelta(hours=specialist.availability.minimum_notice_hours)
        held = written_from + services.FREE_SLOTS_LEAD + notice
        offered = FreeSlot.objects.offered(now).filter(specialist=specialist)
        assert [s for s in free if s <= held] == list(
            offered.filter(start__lte=held).values_list("start", flat=True)
        )


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    start_offset=st.integers(0, 366 * 24 * 60),
    operations=st.lists(OPERATIONS, max_size=12),
)
def test_bookable_and_next_free_agree_with_the_slot_computation(
    db, start_offset, operations
):
    # The clock starts somewhere in the coming year, so daylight-saving
    # changes come up; every "now" in the code reads the simulated clock.
    start = timezone.now() + timedelta(minutes=start_offset)
    clock = [start]
    waited = timedelta(0)
    savepoint = transaction.savepoint()
    try:
        with patch("django.utils.timezone.now", lambda: clock[0]):
            specialists = [
                make_bookable_specialist(time_zone="Europe/Berlin"),
                make_bookable_specialist(
                    time_zone="America/New_York", windows=[(5, "22:00", "23:30")]
                ),
            ]
            assert_copy_agrees(specialists, clock[0], written_from=start)
            for operation in operations:
                if operation[0] == "wait":
                    # The copy holds a week ahead of its last refresh; every
                    # refresh here comes after the start: a week in all.
                    step = min(
                        timedelta(minutes=operation[2]),
                        services.FREE_SLOTS_LEAD - waited,
                    )
                    clock[0] += step
                    waited += step
                else:
                    apply(operation, specialists, clock[0])
                assert_copy_agrees(specialists, clock[0], written_from=start)
    finally:
        transaction.savepoint_rollback(savepoint)


def test_the_copy_is_right_for_a_week_without_a_refresh(db):
    specialist = make_bookable_specialist(windows=[(d, "09:00", "10:00") for d in range(7)])  # fmt: skip
    now = timezone.now()
    services.refresh_free_slots(specialist, now=now)

    for hours in range(0, 7 * 24 + 1, 5):
        later = now + timedelta(hours=hours)
        (next_free,) = Specialist.objects.with_next_free(later).values_list(
            "next_free", flat=True
        )
        assert next_free == services.free_slots(specialist, now=later)[0]


def test_refresh_writes_a_week_of_free_times_not_the_whole_horizon(db):
    specialist = make_bookable_specialist(windows=[(d, "09:00", "10:00") for d in range(7)])  # fmt: skip
    now = datetime(2030, 1, 7, 12, tzinfo=UTC)

    rows = services.refresh_free_slots(specialist, now=now)

    # 12 hours' notice, then 7 days of two slots a day, then the next one.
    assert 14 <= len(rows) <= 17
    assert rows[0].bookable_until == rows[0].start - timedelta(hours=12)
    assert rows[0].visible_from == rows[0].start - timedelta(days=30)


# --- every write path keeps the directory right ------------------------------


def test_booking_the_last_free_time_takes_the_badge_away_and_cancelling_brings_it_back(
    client, db
):
    specialist = make_bookable_specialist(display_name="Rowan Ash", slug="rowan")
    # An hour every day and a one-day horizon: two or three free times at any
    # time of day the test runs.
    set_hours(specialist, [(day, time(10), 11 * 60) for day in range(7)])
    specialist.availability.horizon_days = 1
    specialist.availability.minimum_notice_hours = 0
    specialist.availability.save()
    services.refresh_free_slots(specialist)
    free = services.free_slots(specialist)
    bookings = [book(specialist, start) for start in free[:-1]]
    assert free_badge_names(client, "/specialists/") == ["Rowan Ash"]

    last = book(specialist, free[-1])

    assert free_badge_names(client, "/specialists/") == []
    assert free_badge_names(client, "/specialists/?free=on") == []

    services.cancel(booking=last, by="visitor")

    assert free_badge_names(client, "/specialists/?free=on") == ["Rowan Ash"]
    assert bookings


def test_saving_no_weekly_hours_takes_the_specialist_out_of_the_free_filter(client, db):
    user = make_verified_user()
    make_bookable_specialist(user=user, display_name="Rowan Ash")
    assert free_badge_names(client, "/specialists/?free=on") == ["Rowan Ash"]
    client.force_login(user)

    windows = list(WeeklyWindow.objects.all())
    data = {
        "minimum_notice_hours": "12",
        "horizon_days": "30",
        "offers_free_consultation": "on",
        "windows-TOTAL_FORMS": str(len(windows)),
        "windows-INITIAL_FORMS": str(len(windows)),
        "dates-TOTAL_FORMS": "0",
        "dates-INITIAL_FORMS": "0",
    }
    for n, window in enumerate(windows):  # every window removed
        data.update({f"windows-{n}-id": window.pk, f"windows-{n}-weekday": window.weekday, f"windows-{n}-start": "09:00", f"windows-{n}-end": "17:00", f"windows-{n}-DELETE": "on"})  # fmt: skip

    response = client.post("/specialists/me/availability/", data)

    assert response.status_code == 302
    client.logout()
    assert free_badge_names(client, "/specialists/?free=on") == []


def test_a_new_time_zone_moves_the_next_free_time(client, db):
    specialist = make_bookable_specialist(time_zone="Europe/Berlin")
    before = Specialist.objects.with_next_free().get().next_free

    specialist.time_zone = "Asia/Tokyo"
    specialist.save()  # as the profile form does

    after = Specialist.objects.with_next_free().get().next_free
    assert after == services.free_slots(specialist)[0]
    assert after != before


def test_refresh_command_rewrites_every_specialists_free_times(db):
    first = make_bookable_specialist()
    second = make_bookable_specialist()
    FreeSlot.objects.all().delete()
    out = io.StringIO()

    call_command("refresh_free_slots", stdout=out)

    assert "Free slots refreshed for 2 specialists." in out.getvalue()
    for specialist in (first, second):
        assert FreeSlot.objects.filter(specialist=specialist).exists()
    assert set(Specialist.objects.bookable().values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }


def test_a_deleted_specialist_leaves_no_free_times(db):
    specialist = make_bookable_specialist()
    assert FreeSlot.objects.exists()

    specialist.user.delete()

    assert not FreeSlot.objects.exists()


# --- pages ----------------------------------------------------------------------


def test_booking_page_without_free_times_points_to_specialists_who_have_some(
    client, db
):
    make_specialist(slug="rowan", display_name="Rowan Ash")  # switch on, no hours
    Availability.objects.create(specialist=Specialist.objects.get(slug="rowan"))
    make_bookable_specialist(display_name="Kim Free", slug="kim")

    response = client.get("/specialists/rowan/book/")

    assert response.status_code == 200
    page = parse_html(response.content)
    assert (
        "Rowan Ash has no free times at the moment."
        in page.find("p", class_="notice").text
    )
    others = page.find("section", class_="related-specialists")
    assert [a.text for a in others.find_all("a", class_="mini-name")] == ["Kim Free"]
    assert "Next free:" in others.text
    assert page.find("a", href="/specialists/?free=on")


def test_profile_shows_the_next_free_time_and_the_booking_link_only_when_bookable(
    client, db
):
    make_bookable_specialist(slug="rowan", time_zone="America/New_York")
    make_specialist(slug="kim")  # switch on, no hours

    rowan = parse_html(client.get("/specialists/rowan/").content)
    kim = parse_html(client.get("/specialists/kim/").content)

    assert "(New York)" in rowan.find("div", class_="profile-actions").find("p", class_="next-free").text  # fmt: skip
    assert rowan.find("a", href="/specialists/rowan/book/")
    assert (
        "Free 30-minute consultation"
        in rowan.find("header", class_="profile-header").text
    )
    assert not kim.find_all("a", href="/specialists/kim/book/")
    assert (
        "Free 30-minute consultation"
        not in kim.find("header", class_="profile-header").text
    )


def test_home_and_free_consultation_pages_feature_only_bookable_specialists(client, db):
    make_bookable_specialist(display_name="Kim Free")
    make_specialist(display_name="Rowan Hourless")

    for url in ("/", "/consultations/free/"):
        page = parse_html(client.get(url).content)
        names = [a.text for a in page.find_all("a", class_="mini-name")]
        assert names == ["Kim Free"], url


@pytest.mark.parametrize("count", [1, 50])
def test_home_profile_and_directory_stay_within_their_query_budgets(
    client, db, django_assert_max_num_queries, count
):
    make_article()
    specialists = [make_bookable_specialist() for _ in range(count)]

    # Each budget, and the page cache's check of the public content version.
    with django_assert_max_num_queries(2 + 1):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(4 + 1):
        assert client.get(specialists[0].get_absolute_url()).status_code == 200
    for url in ("/specialists/", "/specialists/?free=on&sort=soonest"):
        with django_assert_max_num_queries(6 + 1):
            assert client.get(url).status_code == 200
