"""Slot computation (consultations/slots.py): pure functions, no database.

Every test uses a fixed `now` (an aware UTC datetime). Expected UTC instants
around daylight-saving changes are written out by hand, so a test fails if the
code falls back to Python's wall-clock arithmetic on aware datetimes.
"""

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from consultations.slots import (
    Schedule,
    Window,
    by_local_day,
    free_slots,
    is_free,
    resolve,
    wall_times,
)

NOW = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)  # a Friday
MONDAY = date(2026, 3, 23)
SLOT = timedelta(minutes=30)
EVERY_DAY = range(7)


def t(text):
    return time.fromisoformat(text)


def windows(*spans, days=EVERY_DAY):
    """Window(day, start, end) for every day in `days` and every (start, end)."""
    return [Window(day, t(start), t(end)) for day in days for start, end in spans]


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def local_times(slots, zone, day=None):
    """'HH:MM' wall times of `slots` in `zone`, only on local date `day` if given."""
    zone = ZoneInfo(zone)
    return [
        f"{s.astimezone(zone):%H:%M}"
        for s in slots
        if day is None or s.astimezone(zone).date() == day
    ]


def local_days(slots, zone):
    zone = ZoneInfo(zone)
    return {s.astimezone(zone).date() for s in slots}


# Weekly windows


def test_window_yields_slots_on_the_half_hour_in_local_wall_time():
    schedule = Schedule("Europe/Berlin", windows(("09:00", "10:00"), days=[0]))
    slots = free_slots(schedule, NOW)
    # Berlin is UTC+1 before 2026-03-29 and UTC+2 after it.
    assert slots[:4] == [
        utc(2026, 3, 23, 8, 0),
        utc(2026, 3, 23, 8, 30),
        utc(2026, 3, 30, 7, 0),
        utc(2026, 3, 30, 7, 30),
    ]
    assert all(s.tzinfo is UTC for s in slots)


def test_several_windows_on_one_day_each_give_their_slots():
    schedule = Schedule(
        "Europe/Berlin",
        windows(("09:00", "10:00"), ("14:00", "15:30"), ("18:00", "18:30"), days=[0]),
    )
    slots = free_slots(schedule, NOW)
    assert local_times(slots, "Europe/Berlin", MONDAY) == [
        "09:00",
        "09:30",
        "14:00",
        "14:30",
        "15:00",
        "18:00",
    ]


def test_windows_are_per_weekday():
    schedule = Schedule(
        "Europe/Berlin",
        windows(("09:00", "10:00"), days=[0]) + windows(("16:00", "17:00"), days=[2]),
    )
    slots = free_slots(schedule, NOW)
    zone = ZoneInfo("Europe/Berlin")
    assert {s.astimezone(zone).weekday() for s in slots} == {0, 2}
    for s in slots:
        local = s.astimezone(zone)
        expected = ["09:00", "09:30"] if local.weekday() == 0 else ["16:00", "16:30"]
        assert f"{local:%H:%M}" in expected
    assert local_times(slots, "Europe/Berlin", date(2026, 3, 25)) == ["16:00", "16:30"]
    assert local_times(slots, "Europe/Berlin", date(2026, 3, 24)) == []


def test_window_off_the_grid_starts_at_the_next_half_hour():
    schedule = Schedule("Europe/Berlin", windows(("09:15", "11:00"), days=[0]))
    slots = free_slots(schedule, NOW)
    assert local_times(slots, "Europe/Berlin", MONDAY) == ["09:30", "10:00", "10:30"]


def test_window_ending_off_the_grid_keeps_only_slots_that_fit():
    schedule = Schedule("Europe/Berlin", windows(("09:00", "10:45"), days=[0]))
    slots = free_slots(schedule, NOW)
    assert local_times(slots, "Europe/Berlin", MONDAY) == ["09:00", "09:30", "10:00"]


@pytest.mark.parametrize(
    "start, end",
    [("09:00", "09:29"), ("09:10", "09:40"), ("09:31", "09:59"), ("09:00", "09:00")],
)
def test_window_shorter_than_a_slot_gives_nothing(start, end):
    schedule = Schedule("Europe/Berlin", windows((start, end)))
    assert free_slots(schedule, NOW) == []


def test_window_of_exactly_one_slot_gives_one_slot():
    schedule = Schedule("Europe/Berlin", windows(("09:30", "10:00"), days=[0]))
    slots = free_slots(schedule, NOW)
    assert local_times(slots, "Europe/Berlin", MONDAY) == ["09:30"]


def test_window_end_is_exclusive():
    schedule = Schedule("Europe/Berlin", windows(("09:00", "10:00"), days=[0]))
    slots = free_slots(schedule, NOW)
    assert local_times(slots, "Europe/Berlin", MONDAY) == ["09:00", "09:30"]


def test_overlapping_windows_give_each_slot_once():
    schedule = Schedule(
        "Europe/Berlin", windows(("09:00", "11:00"), ("10:00", "12:00"), days=[0])
    )
    slots = free_slots(schedule, NOW)
    assert local_times(slots, "Europe/Berlin", MONDAY) == [
        "09:00",
        "09:30",
        "10:00",
        "10:30",
        "11:00",
        "11:30",
    ]


def test_no_windows_give_no_slots():
    assert free_slots(Schedule("Europe/Berlin", []), NOW) == []


def test_wall_times_round_the_start_up_and_keep_slots_inside_the_window():
    assert list(wall_times(Window(0, t("09:15"), t("11:00")))) == [
        t("09:30"),
        t("10:00"),
        t("10:30"),
    ]
    assert list(wall_times(Window(0, t("00:00"), t("01:00")))) == [
        t("00:00"),
        t("00:30"),
    ]
    assert list(wall_times(Window(0, t("23:00"), t("23:59")))) == [t("23:00")]
    assert list(wall_times(Window(0, t("09:00"), t("09:29")))) == []


def test_window_starting_seconds_after_a_grid_time_skips_that_grid_time():
    # TimeField accepts seconds (09:00:30); the 09:00 slot would start
    # before the window does.
    assert list(wall_times(Window(0, t("09:00:30"), t("10:30")))) == [
        t("09:30"),
        t("10:00"),
    ]
    assert list(wall_times(Window(0, t("09:29:59.5"), t("10:30")))) == [
        t("09:30"),
        t("10:00"),
    ]
    assert list(wall_times(Window(0, t("09:00"), t("10:00:59")))) == [
        t("09:00"),
        t("09:30"),
    ]


# Dates off


def test_date_off_removes_that_local_day_only():
    day_off = date(2026, 3, 24)
    schedule = Schedule(
        "Europe/Berlin", windows(("09:00", "10:00")), dates_off={day_off}
    )
    slots = free_slots(schedule, NOW)
    assert day_off not in local_days(slots, "Europe/Berlin")
    assert local_times(slots, "Europe/Berlin", day_off - timedelta(days=1)) == [
        "09:00",
        "09:30",
    ]
    assert local_times(slots, "Europe/Berlin", day_off + timedelta(days=1)) == [
        "09:00",
        "09:30",
    ]
    everything = free_slots(Schedule("Europe/Berlin", windows(("09:00", "10:00"))), NOW)
    assert len(everything) - len(slots) == 2


def test_date_off_is_a_local_date_not_a_utc_date():
    # 07:00-08:00 in Tokyo (UTC+9) is 22:00-23:00 UTC on the day before.
    day_off = date(2026, 3, 25)
    schedule = Schedule("Asia/Tokyo", windows(("07:00", "08:00")), dates_off={day_off})
    slots = free_slots(schedule, NOW)
    assert utc(2026, 3, 24, 22, 0) not in slots  # Tokyo 2026-03-25 07:00
    assert utc(2026, 3, 24, 22, 30) not in slots
    assert utc(2026, 3, 25, 22, 0) in slots  # Tokyo 2026-03-26 07:00
    assert utc(2026, 3, 23, 22, 0) in slots  # Tokyo 2026-03-24 07:00


def test_dates_off_outside_the_range_change_nothing():
    schedule = Schedule(
        "Europe/Berlin",
        windows(("09:00", "10:00")),
        dates_off={date(2025, 12, 24), date(2027, 1, 1)},
    )
    unchanged = Schedule("Europe/Berlin", windows(("09:00", "10:00")))
    assert free_slots(schedule, NOW) == free_slots(unchanged, NOW)


# Minimum notice and horizon


def test_defaults_are_twelve_hours_notice_and_thirty_days_ahead():
    schedule = Schedule("UTC", [])
    assert schedule.minimum_notice == timedelta(hours=12)
    assert schedule.horizon == timedelta(days=30)


def test_nothing_before_the_minimum_notice():
    schedule = Schedule("UTC", windows(("00:00", "23:59")))
    slots = free_slots(schedule, NOW)
    assert min(slots) == NOW + timedelta(hours=12)  # 20:00, exactly on the grid
    assert all(s >= NOW + timedelta(hours=12) for s in slots)


def test_first_slot_is_the_next_grid_time_after_the_notice():
    schedule = Schedule("UTC", windows(("00:00", "23:59")))
    slots = free_slots(schedule, NOW + timedelta(minutes=10))
    assert slots[0] == utc(2026, 3, 20, 20, 30)


def test_nothing_after_the_horizon():
    schedule = Schedule("UTC", windows(("00:00", "23:59")))
    slots = free_slots(schedule, NOW)
    assert max(slots) == NOW + timedelta(days=30)  # 2026-04-19 08:00
    assert all(s <= NOW + timedelta(days=30) for s in slots)
    assert utc(2026, 4, 19, 8, 30) not in slots


def test_custom_notice_and_horizon():
    schedule = Schedule(
        "UTC",
        windows(("00:00", "23:59")),
        minimum_notice=timedelta(hours=2),
        horizon=timedelta(hours=4),
    )
    assert free_slots(schedule, NOW) == [
        utc(2026, 3, 20, 10, 0),
        utc(2026, 3, 20, 10, 30),
        utc(2026, 3, 20, 11, 0),
        utc(2026, 3, 20, 11, 30),
        utc(2026, 3, 20, 12, 0),
    ]


@pytest.mark.parametrize(
    "zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata", "UTC"]
)
def test_notice_and_horizon_hold_far_from_utc(zone):
    # UTC+14 and UTC-11: the local days at both ends differ from the UTC days.
    schedule = Schedule(zone, windows(("00:00", "23:59")))
    slots = free_slots(schedule, NOW)
    earliest, latest = NOW + timedelta(hours=12), NOW + timedelta(days=30)
    assert all(earliest <= s <= latest for s in slots)
    assert slots[0] - earliest < SLOT
    assert latest - slots[-1] < SLOT


def test_notice_longer_than_horizon_gives_nothing():
    schedule = Schedule(
        "UTC",
        windows(("00:00", "23:59")),
        minimum_notice=timedelta(days=3),
        horizon=timedelta(days=2),
    )
    assert free_slots(schedule, NOW) == []


# Taken slots


def test_taken_slots_are_excluded():
    taken = utc(2026, 3, 23, 8, 30)  # Berlin Monday 09:30
    schedule = Schedule(
        "Europe/Berlin", windows(("09:00", "11:00"), days=[0]), taken={taken}
    )
    slots = free_slots(schedule, NOW)
    assert taken not in slots
    assert local_times(slots, "Europe/Berlin", MONDAY) == ["09:00", "10:00", "10:30"]


def test_taken_times_that_are_not_slots_change_nothing():
    base = Schedule("Europe/Berlin", windows(("09:00", "11:00"), days=[0]))
    schedule = Schedule(
        "Europe/Berlin",
        base.windows,
        taken={utc(2026, 3, 23, 8, 15), utc(2026, 3, 23, 20, 0)},
    )
    assert free_slots(schedule, NOW) == free_slots(base, NOW)


def test_every_slot_taken_gives_nothing():
    base = Schedule("Europe/Berlin", windows(("09:00", "11:00")))
    slots = free_slots(base, NOW)
    schedule = Schedule("Europe/Berlin", base.windows, taken=set(slots))
    assert free_slots(schedule, NOW) == []


# Daylight-saving changes

DST_CASES = [
    # zone, day, window, wall times offered, their UTC instants
    pytest.param(
        "Europe/Berlin",
        date(2026, 3, 29),
        ("01:00", "04:00"),
        ["01:00", "01:30", "03:00", "03:30"],  # 02:00-03:00 does not exist
        [utc(2026, 3, 29, 0, 0), utc(2026, 3, 29, 0, 30)]
        + [utc(2026, 3, 29, 1, 0), utc(2026, 3, 29, 1, 30)],
        id="berlin-spring",
    ),
    pytest.param(
        "Europe/Berlin",
        date(2026, 10, 25),
        ("01:00", "04:00"),
        ["01:00", "01:30", "02:00", "02:30", "03:00", "03:30"],
        [utc(2026, 10, 24, 23, 0), utc(2026, 10, 24, 23, 30)]
        + [utc(2026, 10, 25, 0, 0), utc(2026, 10, 25, 0, 30)]  # first 02:00, 02:30
        + [utc(2026, 10, 25, 2, 0), utc(2026, 10, 25, 2, 30)],
        id="berlin-autumn",
    ),
    pytest.param(
        "Europe/London",
        date(2026, 3, 29),
        ("00:00", "03:00"),
        ["00:00", "00:30", "02:00", "02:30"],  # 01:00-02:00 does not exist
        [utc(2026, 3, 29, 0, 0), utc(2026, 3, 29, 0, 30)]
        + [utc(2026, 3, 29, 1, 0), utc(2026, 3, 29, 1, 30)],
        id="london-spring",
    ),
    pytest.param(
        "Europe/London",
        date(2026, 10, 25),
        ("00:00", "03:00"),
        ["00:00", "00:30", "01:00", "01:30", "02:00", "02:30"],
        [utc(2026, 10, 24, 23, 0), utc(2026, 10, 24, 23, 30)]
        + [utc(2026, 10, 25, 0, 0), utc(2026, 10, 25, 0, 30)]  # first 01:00, 01:30
        + [utc(2026, 10, 25, 2, 0), utc(2026, 10, 25, 2, 30)],
        id="london-autumn",
    ),
    pytest.param(
        "America/New_York",
        date(2026, 3, 8),
        ("01:00", "04:00"),
        ["01:00", "01:30", "03:00", "03:30"],  # 02:00-03:00 does not exist
        [utc(2026, 3, 8, 6, 0), utc(2026, 3, 8, 6, 30)]
        + [utc(2026, 3, 8, 7, 0), utc(2026, 3, 8, 7, 30)],
        id="new-york-spring",
    ),
    pytest.param(
        "America/New_York",
        date(2026, 11, 1),
        ("00:00", "03:00"),
        ["00:00", "00:30", "01:00", "01:30", "02:00", "02:30"],
        [utc(2026, 11, 1, 4, 0), utc(2026, 11, 1, 4, 30)]
        + [utc(2026, 11, 1, 5, 0), utc(2026, 11, 1, 5, 30)]  # first 01:00, 01:30
        + [utc(2026, 11, 1, 7, 0), utc(2026, 11, 1, 7, 30)],
        id="new-york-autumn",
    ),
]


def now_before(day):
    """A fixed `now` three days before `day`, so the day is well inside range."""
    return datetime.combine(day - timedelta(days=3), time(8, 0), tzinfo=UTC)


@pytest.mark.parametrize("zone, day, window, wall, instants", DST_CASES)
def test_daylight_saving_day_gives_each_existing_wall_time_once(
    zone, day, window, wall, instants
):
    schedule = Schedule(zone, windows(window, days=[day.weekday()]))
    slots = free_slots(schedule, now_before(day))
    on_day = [s for s in slots if s.astimezone(ZoneInfo(zone)).date() == day]
    assert local_times(on_day, zone) == wall
    assert on_day == instants
    assert len(set(on_day)) == len(on_day)


@pytest.mark.parametrize("zone, day, window, wall, instants", DST_CASES)
def test_slots_on_a_daylight_saving_day_are_real_half_hours(
    zone, day, window, wall, instants
):
    """Consecutive wall times are 30 real minutes apart, except where the clock
    jumps: across a skipped hour they stay 30 minutes apart (01:30 -> 03:00 is
    half an hour), after a repeated hour they are 90 minutes apart."""
    schedule = Schedule(zone, windows(window, days=[day.weekday()]))
    slots = free_slots(schedule, now_before(day))
    on_day = [s for s in slots if s.astimezone(ZoneInfo(zone)).date() == day]
    gaps = [b - a for a, b in zip(on_day, on_day[1:], strict=False)]
    if len(on_day) == 4:  # spring forward
        assert gaps == [SLOT, SLOT, SLOT]
    else:  # fall back: the second 02:00 and 02:30 (or 01:00, 01:30) are skipped
        assert gaps == [SLOT, SLOT, SLOT, 3 * SLOT, SLOT]


@pytest.mark.parametrize("zone, day, window, wall, instants", DST_CASES)
def test_slots_on_a_repeated_hour_are_the_first_occurrence(
    zone, day, window, wall, instants
):
    tz = ZoneInfo(zone)
    schedule = Schedule(zone, windows(window, days=[day.weekday()]))
    for s in free_slots(schedule, now_before(day)):
        local = s.astimezone(tz)
        first = datetime.combine(local.date(), local.time(), tzinfo=tz)  # fold=0
        assert first.astimezone(UTC) == s
        assert local.fold == 0


@pytest.mark.parametrize(
    "zone, day, skipped, repeated",
    [
        ("Europe/Berlin", date(2026, 3, 29), 2, 0),
        ("Europe/Berlin", date(2026, 10, 25), 0, 2),
        ("Europe/London", date(2026, 3, 29), 2, 0),
        ("Europe/London", date(2026, 10, 25), 0, 2),
        ("America/New_York", date(2026, 3, 8), 2, 0),
        ("America/New_York", date(2026, 11, 1), 0, 2),
    ],
)
def test_whole_daylight_saving_day(zone, day, skipped, repeated):
    schedule = Schedule(zone, windows(("00:00", "23:59")))
    slots = free_slots(schedule, now_before(day))
    on_day = local_times(slots, zone, day)
    # 00:00 .. 23:00 is 47 wall times; a skipped hour removes two, a repeated
    # hour adds none.
    assert len(on_day) == 47 - skipped
    assert len(set(on_day)) == len(on_day)
    assert len(set(slots)) == len(slots)
    assert slots == sorted(slots)


@pytest.mark.parametrize(
    "zone",
    [
        "Europe/Berlin",
        "Europe/London",
        "America/New_York",
        "Australia/Lord_Howe",  # moves its clock by 30 minutes
        "Pacific/Chatham",  # UTC+12:45 / +13:45
        "America/St_Johns",  # UTC-3:30 / -2:30
        "Asia/Kathmandu",
    ],
)
@pytest.mark.parametrize(
    "now", [utc(2026, 3, 1, 0, 0), utc(2026, 3, 20, 8, 0), utc(2026, 9, 20, 0, 0)]
)
def test_no_two_slots_share_a_utc_instant(zone, now):
    schedule = Schedule(zone, windows(("00:00", "23:59")), horizon=timedelta(days=60))
    slots = free_slots(schedule, now)
    assert len(set(slots)) == len(slots)
    assert all(b > a for a, b in zip(slots, slots[1:], strict=False))


def test_resolve_returns_none_for_a_skipped_wall_time():
    berlin = ZoneInfo("Europe/Berlin")
    assert resolve(date(2026, 3, 29), t("02:00"), berlin) is None
    assert resolve(date(2026, 3, 29), t("02:30"), berlin) is None
    assert resolve(date(2026, 3, 29), t("03:00"), berlin) == utc(2026, 3, 29, 1, 0)
    assert resolve(date(2026, 10, 25), t("02:30"), berlin) == utc(2026, 10, 25, 0, 30)


# A visitor far from the specialist


def test_visitor_far_away_sees_slots_grouped_by_their_own_local_day():
    # Kolkata (UTC+5:30) Monday 09:00-13:00 is Los Angeles (UTC-7 in March)
    # Sunday 20:30 to Monday 00:30.
    schedule = Schedule(
        "Asia/Kolkata",
        windows(("09:00", "13:00"), days=[0]),
        horizon=timedelta(days=5),
    )
    slots = free_slots(schedule, NOW)
    assert slots[0] == utc(2026, 3, 23, 3, 30)
    grouped = by_local_day(slots, "America/Los_Angeles")
    assert [day for day, _ in grouped] == [date(2026, 3, 22), date(2026, 3, 23)]
    sunday, monday = grouped[0][1], grouped[1][1]
    assert [f"{s:%H:%M}" for s in sunday] == [
        "20:30",
        "21:00",
        "21:30",
        "22:00",
        "22:30",
        "23:00",
        "23:30",
    ]
    assert [f"{s:%H:%M}" for s in monday] == ["00:00"]
    for _, day_slots in grouped:
        for s in day_slots:
            assert s.tzinfo == ZoneInfo("America/Los_Angeles")
            assert s.utcoffset() == timedelta(hours=-7)
    # The same instants, not shifted copies.
    assert [s for _, day_slots in grouped for s in day_slots] == slots


def test_specialist_sees_the_same_slots_on_their_own_day():
    schedule = Schedule(
        "Asia/Kolkata",
        windows(("09:00", "13:00"), days=[0]),
        horizon=timedelta(days=5),
    )
    grouped = by_local_day(free_slots(schedule, NOW), "Asia/Kolkata")
    assert [day for day, _ in grouped] == [MONDAY]
    assert f"{grouped[0][1][0]:%H:%M}" == "09:00"
    assert f"{grouped[0][1][-1]:%H:%M}" == "12:30"


def test_by_local_day_follows_the_visitors_daylight_saving():
    # A New York visitor across 2026-03-08: EST (-5) before, EDT (-4) after.
    schedule = Schedule(
        "UTC", windows(("14:00", "14:30"), days=[5, 0]), horizon=timedelta(days=5)
    )
    slots = free_slots(schedule, utc(2026, 3, 6, 0, 0))
    assert slots == [utc(2026, 3, 7, 14, 0), utc(2026, 3, 9, 14, 0)]
    grouped = by_local_day(slots, "America/New_York")
    assert [(day, [f"{s:%H:%M}" for s in ss]) for day, ss in grouped] == [
        (date(2026, 3, 7), ["09:00"]),
        (date(2026, 3, 9), ["10:00"]),
    ]


def test_by_local_day_of_nothing_is_empty():
    assert by_local_day([], "America/Los_Angeles") == []


# Zones with a :30 or :45 offset


def test_kathmandu_slots_are_on_the_local_half_hour_grid():
    schedule = Schedule(
        "Asia/Kathmandu", windows(("09:00", "11:00")), horizon=timedelta(days=7)
    )
    slots = free_slots(schedule, NOW)
    tz = ZoneInfo("Asia/Kathmandu")
    assert slots
    assert {s.astimezone(tz).minute for s in slots} == {0, 30}
    assert {s.minute for s in slots} == {15, 45}  # UTC+5:45
    assert local_times(slots, "Asia/Kathmandu", MONDAY) == [
        "09:00",
        "09:30",
        "10:00",
        "10:30",
    ]
    assert utc(2026, 3, 23, 3, 15) in slots  # Kathmandu Monday 09:00


def test_kolkata_slots_are_on_the_local_half_hour_grid():
    schedule = Schedule(
        "Asia/Kolkata", windows(("09:00", "10:00")), horizon=timedelta(days=3)
    )
    slots = free_slots(schedule, NOW)
    assert {f"{s:%H:%M}" for s in slots} == {"03:30", "04:00"}


# is_free


def candidates(now, horizon, step=timedelta(minutes=15)):
    """Every UTC instant on a 15-minute grid from an hour before now to past
    the horizon (fine enough for zones offset by :30 or :45)."""
    moment = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    while moment <= now + horizon + timedelta(hours=1):
        yield moment
        moment += step


AGREEMENT_CASES = [
    pytest.param(
        Schedule(
            "Europe/Berlin",
            windows(("09:00", "12:00"), ("13:15", "17:00"), days=range(5)),
            dates_off={date(2026, 3, 25)},
            taken={utc(2026, 3, 23, 8, 30), utc(2026, 3, 31, 12, 0)},
        ),
        NOW,
        id="berlin-week",
    ),
    pytest.param(
        Schedule("Europe/Berlin", windows(("00:00", "04:00"), ("22:00", "23:59"))),
        utc(2026, 3, 26, 9, 0),
        id="berlin-spring-forward",
    ),
    pytest.param(
        Schedule("Europe/Berlin", windows(("00:00", "04:00"), ("22:00", "23:59"))),
        utc(2026, 10, 22, 9, 0),
        id="berlin-fall-back",
    ),
    pytest.param(
        Schedule("America/New_York", windows(("00:00", "03:00"))),
        utc(2026, 10, 25, 0, 0),
        id="new-york-fall-back",
    ),
    pytest.param(
        Schedule("Asia/Kathmandu", windows(("08:00", "20:00"))),
        NOW,
        id="kathmandu",
    ),
]


@pytest.mark.parametrize("schedule, now", AGREEMENT_CASES)
def test_is_free_agrees_with_free_slots(schedule, now):
    slots = free_slots(schedule, now)
    assert slots
    assert all(is_free(schedule, s, now) for s in slots)
    offered = set(slots)
    wrong = [
        c
        for c in candidates(now, schedule.horizon)
        if is_free(schedule, c, now) != (c in offered)
    ]
    assert wrong == []


def test_is_free_accepts_a_slot_given_in_another_time_zone():
    schedule = Schedule("Europe/Berlin", windows(("09:00", "10:00"), days=[0]))
    start = utc(2026, 3, 23, 8, 0).astimezone(ZoneInfo("America/Los_Angeles"))
    assert is_free(schedule, start, NOW)


BERLIN_WEEK = Schedule("Europe/Berlin", windows(("09:00", "12:00")))
MONDAY_10 = utc(2026, 3, 23, 9, 0)  # Berlin Monday 10:00, a free slot


def test_is_free_control():
    assert is_free(BERLIN_WEEK, MONDAY_10, NOW)


def test_is_free_rejects_a_time_in_the_past():
    start = utc(2026, 3, 19, 9, 0)  # Thursday 10:00, the day before now
    assert is_free(BERLIN_WEEK, start, start - timedelta(days=1))
    assert not is_free(BERLIN_WEEK, start, NOW)


def test_is_free_rejects_a_time_before_the_notice():
    start = utc(2026, 3, 21, 9, 0)  # Saturday 10:00
    assert is_free(BERLIN_WEEK, start, start - timedelta(hours=12))
    assert not is_free(BERLIN_WEEK, start, start - timedelta(hours=11, minutes=59))


def test_is_free_rejects_a_time_after_the_horizon():
    start = utc(2026, 4, 21, 8, 0)  # Tuesday 10:00 CEST, 31 days away
    assert is_free(BERLIN_WEEK, start, start - timedelta(days=30))
    assert not is_free(BERLIN_WEEK, start, NOW)


@pytest.mark.parametrize("wall", ["00:00", "07:30", "08:30", "12:00", "12:30", "20:00"])
def test_is_free_rejects_a_time_outside_the_hours(wall):
    start = datetime.combine(MONDAY, t(wall), tzinfo=ZoneInfo("Europe/Berlin"))
    assert not is_free(BERLIN_WEEK, start, NOW)


@pytest.mark.parametrize("wall", ["09:00", "11:30"])
def test_is_free_accepts_the_first_and_last_slot_of_the_hours(wall):
    start = datetime.combine(MONDAY, t(wall), tzinfo=ZoneInfo("Europe/Berlin"))
    assert is_free(BERLIN_WEEK, start, NOW)


def test_is_free_rejects_the_hours_of_another_weekday():
    schedule = Schedule("Europe/Berlin", windows(("09:00", "12:00"), days=[0]))
    assert is_free(schedule, MONDAY_10, NOW)
    assert not is_free(schedule, MONDAY_10 + timedelta(days=1), NOW)


@pytest.mark.parametrize(
    "offset",
    [
        timedelta(minutes=15),
        timedelta(minutes=1),
        timedelta(seconds=1),
        timedelta(microseconds=1),
    ],
)
def test_is_free_rejects_a_time_off_the_half_hour_grid(offset):
    assert not is_free(BERLIN_WEEK, MONDAY_10 + offset, NOW)  # e.g. 10:15


def test_is_free_rejects_a_naive_datetime():
    assert not is_free(BERLIN_WEEK, MONDAY_10.replace(tzinfo=None), NOW)
    assert not is_free(BERLIN_WEEK, datetime(2026, 3, 23, 10, 0), NOW)  # as local


def test_is_free_rejects_a_taken_slot():
    schedule = Schedule("Europe/Berlin", BERLIN_WEEK.windows, taken={MONDAY_10})
    assert not is_free(schedule, MONDAY_10, NOW)
    assert is_free(schedule, MONDAY_10 + SLOT, NOW)


def test_is_free_rejects_a_date_off():
    schedule = Schedule("Europe/Berlin", BERLIN_WEEK.windows, dates_off={MONDAY})
    assert not is_free(schedule, MONDAY_10, NOW)
    assert is_free(schedule, MONDAY_10 + timedelta(days=1), NOW)


def test_is_free_uses_the_local_date_for_dates_off():
    # Tokyo 2026-03-25 07:00 is 2026-03-24 22:00 UTC.
    schedule = Schedule(
        "Asia/Tokyo", windows(("07:00", "08:00")), dates_off={date(2026, 3, 25)}
    )
    assert not is_free(schedule, utc(2026, 3, 24, 22, 0), NOW)
    assert is_free(schedule, utc(2026, 3, 25, 22, 0), NOW)


@pytest.mark.parametrize(
    "zone, day, first, second",
    [
        ("Europe/Berlin", date(2026, 10, 25), utc(2026, 10, 25, 0, 0), utc(2026, 10, 25, 1, 0)),
        ("Europe/Berlin", date(2026, 10, 25), utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30)),
        ("Europe/London", date(2026, 10, 25), utc(2026, 10, 25, 0, 0), utc(2026, 10, 25, 1, 0)),
        ("America/New_York", date(2026, 11, 1), utc(2026, 11, 1, 5, 0), utc(2026, 11, 1, 6, 0)),
    ],
)  # fmt: skip
def test_is_free_rejects_the_second_occurrence_of_a_repeated_wall_time(
    zone, day, first, second
):
    tz = ZoneInfo(zone)
    # Both instants show the same wall time on the same local day.
    assert first.astimezone(tz).replace(tzinfo=None) == second.astimezone(tz).replace(
        tzinfo=None
    )
    schedule = Schedule(zone, windows(("00:00", "04:00"), days=[day.weekday()]))
    now = now_before(day)
    assert is_free(schedule, first, now)
    assert not is_free(schedule, second, now)
    # Written as the visitor would post it, with fold=1 on the local time.
    assert not is_free(schedule, second.astimezone(tz), now)


def test_a_window_inside_a_skipped_hour_gives_nothing_that_day():
    # Berlin 2026-03-29 02:00-03:00 does not exist. Resolving 02:00 and 02:30
    # naively (fold=0, the offset before the change) would give 01:00 and
    # 01:30 UTC, which are 03:00 and 03:30 CEST: outside the window.
    sunday = date(2026, 3, 29)
    schedule = Schedule("Europe/Berlin", windows(("02:00", "03:00"), days=[6]))
    now = now_before(sunday)
    slots = free_slots(schedule, now)
    assert local_times(slots, "Europe/Berlin", sunday) == []
    assert local_times(slots, "Europe/Berlin", date(2026, 4, 5)) == ["02:00", "02:30"]
    for start in candidates(now, schedule.horizon):
        if start.astimezone(ZoneInfo("Europe/Berlin")).date() == sunday:
            assert not is_free(schedule, start, now), start


# Properties over random schedules (a hand-rolled hypothesis-style check)

ZONES = [
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "America/St_Johns",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Pacific/Kiritimati",
    "UTC",
]
# Days near the 2026 clock changes of those zones, so most runs cross one.
ANCHORS = [
    date(2026, 3, 8),
    date(2026, 3, 29),
    date(2026, 4, 5),
    date(2026, 9, 27),
    date(2026, 10, 4),
    date(2026, 10, 25),
    date(2026, 11, 1),
    date(2026, 6, 15),
]


def random_case(rng):
    zone = rng.choice(ZONES)
    spans = []
    for weekday in range(7):
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            start = rng.randrange(0, 24 * 60 - 5, 5)
            end = rng.randrange(start + 5, 24 * 60, 5)
            spans.append(
                Window(weekday, time(*divmod(start, 60)), time(*divmod(end, 60)))
            )
    anchor = datetime.combine(rng.choice(ANCHORS), time(0), tzinfo=UTC)
    now = anchor - timedelta(minutes=rng.randrange(0, 10 * 24 * 60))
    horizon = timedelta(days=rng.randint(1, 20), minutes=rng.choice([0, 7, 30]))
    notice = timedelta(minutes=rng.choice([0, 1, 30, 12 * 60, 36 * 60 + 15]))
    start_day = (now + notice).date()
    dates_off = {
        start_day + timedelta(days=rng.randrange(-1, 22))
        for _ in range(rng.randint(0, 4))
    }
    return Schedule(zone, spans, dates_off, set(), notice, horizon), now


def reference_slots(schedule, now):
    """Brute force: walk UTC in 15-minute steps and keep every instant whose
    local wall time is on the grid, inside a window, shown for the first time,
    not on a date off and not taken."""
    zone = ZoneInfo(schedule.time_zone)
    earliest, latest = now + schedule.minimum_notice, now + schedule.horizon
    moment = earliest.replace(minute=0, second=0, microsecond=0) - timedelta(hours=4)
    seen = set()
    found = []
    while moment <= latest:
        local = moment.astimezone(zone)
        wall = (local.date(), local.time())
        first = wall not in seen
        seen.add(wall)
        minute = local.hour * 60 + local.minute
        if (
            first
            and moment >= earliest
            and local.minute in (0, 30)
            and local.date() not in schedule.dates_off
            and moment not in schedule.taken
            and any(
                w.weekday == local.weekday()
                and w.start.hour * 60 + w.start.minute <= minute
                and minute + 30 <= w.end.hour * 60 + w.end.minute
                for w in schedule.windows
            )
        ):
            found.append(moment)
        moment += timedelta(minutes=15)
    return found


@pytest.mark.parametrize("seed", range(150))
def test_random_schedules_match_a_brute_force_reference(seed):
    rng = random.Random(seed)
    schedule, now = random_case(rng)
    slots = free_slots(schedule, now)
    # Take a few of them and check they disappear.
    schedule.taken = set(rng.sample(slots, min(len(slots), rng.randint(0, 5))))
    schedule.taken.add(now + timedelta(minutes=rng.randrange(0, 60 * 24 * 20)))
    slots = free_slots(schedule, now)
    zone = ZoneInfo(schedule.time_zone)
    context = f"seed={seed} zone={schedule.time_zone} now={now}"

    assert slots == sorted(set(slots)), context  # sorted and unique
    for s in slots:
        local = s.astimezone(zone)
        assert (local.minute, local.second, local.microsecond) in [
            (0, 0, 0),
            (30, 0, 0),
        ]
        assert local.date() not in schedule.dates_off, context
        assert s not in schedule.taken, context
        assert now + schedule.minimum_notice <= s <= now + schedule.horizon, context
        assert resolve(local.date(), local.time(), zone) == s, context
    assert slots == reference_slots(schedule, now), context
    for s in rng.sample(slots, min(len(slots), 10)):
        assert is_free(schedule, s, now), context
    for s in schedule.taken:
        assert not is_free(schedule, s, now), context
