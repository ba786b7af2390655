"""Free 30-minute slots: weekly hours minus dates off minus existing bookings.

Weekly hours are wall-clock times in the specialist's time zone. Each slot's
wall time (on the hour or half hour) is resolved to one UTC instant
explicitly, because aware-datetime arithmetic in Python is wall-clock
arithmetic: on a spring-forward day a wall time can be missing (no slot), and
on a fall-back day it can happen twice (the first occurrence is used, so one
wall time never gives two slots). Everything after that works in UTC.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SLOT_MINUTES = 30


@dataclass(frozen=True)
class Window:
    weekday: int  # Monday is 0
    start: time
    end: time  # 00:00 is midnight at the end of the day


@dataclass
class Schedule:
    """What slot computation needs, loaded once (see for_specialist)."""

    time_zone: str
    windows: list[Window]
    dates_off: set[date] = field(default_factory=set)
    taken: set[datetime] = field(default_factory=set)  # UTC starts
    minimum_notice: timedelta = timedelta(hours=12)
    horizon: timedelta = timedelta(days=30)


def resolve(day, wall_time, zone):
    """The UTC instant of `wall_time` on `day` in `zone`, or None if that wall
    time does not exist there (skipped by a daylight-saving change)."""
    local = datetime.combine(day, wall_time, tzinfo=zone)  # fold=0: first occurrence
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return instant


def wall_times(window):
    """Slot start times within a window, on the hour and half hour."""
    minute = window.start.hour * 60 + window.start.minute
    if window.start.second or window.start.microsecond:
        minute += 1  # a window from 09:00:30 has no 09:00 slot
    minute += -minute % SLOT_MINUTES  # round up to the grid
    end = window.end.hour * 60 + window.end.minute or 24 * 60
    last = end - SLOT_MINUTES
    while minute <= last:
        yield time(minute // 60, minute % 60)
        minute += SLOT_MINUTES


def free_slots(schedule, now):
    """Every free slot start (UTC), in order, from now + notice to now + horizon."""
    zone = ZoneInfo(schedule.time_zone)
    earliest = now + schedule.minimum_notice
    latest = now + schedule.horizon
    by_weekday = {}
    for window in schedule.windows:
        by_weekday.setdefault(window.weekday, []).append(window)
    day = earliest.astimezone(zone).date()
    last_day = latest.astimezone(zone).date()
    slots = []
    while day <= last_day:
        if day not in schedule.dates_off:
            starts = set()
            for window in by_weekday.get(day.weekday(), ()):
                for wall_time in wall_times(window):
                    instant = resolve(day, wall_time, zone)
                    if instant is not None:
                        starts.add(instant)
            slots.extend(
                s
                for s in sorted(starts)
                if earliest <= s <= latest and s not in schedule.taken
            )
        day += timedelta(days=1)
    return slots


def is_free(schedule, start, now):
    """Whether `start` (an aware datetime) is one of the free slots."""
    if start.tzinfo is None:
        return False
    start = start.astimezone(UTC)
    zone = ZoneInfo(schedule.time_zone)
    day = start.astimezone(zone).date()
    if (
        start in schedule.taken
        or day in schedule.dates_off
        or not now + schedule.minimum_notice <= start <= now + schedule.horizon
    ):
        return False
    return any(
        resolve(day, wall_time, zone) == start
        for window in schedule.windows
        if window.weekday == day.weekday()
        for wall_time in wall_times(window)
    )


def by_local_day(slots, time_zone):
    """[(date, [datetime, …])] with each slot in the visitor's time zone."""
    zone = ZoneInfo(time_zone)
    days = {}
    for slot in slots:
        local = slot.astimezone(zone)
        days.setdefault(local.date(), []).append(local)
    return sorted(days.items())
