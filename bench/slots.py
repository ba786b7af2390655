"""Time of consultations.slots.free_slots for one specialist, 30 days ahead.

The specialist is in Europe/Berlin and works a realistic week: Monday to
Friday, 08:00-12:00 and 13:00-17:00 (16 slots a day), two dates off, and the
30 days include a daylight-saving change (now is 2026-03-20, Berlin moves its
clocks on 2026-03-29). Existing bookings: 1,000 distinct half-hour UTC
instants spread over the same 30 days, drawn at random with a fixed seed
(far more than one person could hold, so the taken-set lookups are the worst
case); a second case with no bookings shows what they cost.

Pure computation, no database: django.setup() is only needed because
consultations.slots imports SLOT_MINUTES from consultations.models. With no
DJANGO_DEBUG in the environment the settings are loaded in debug mode (no
secret key needed); nothing is served.

Environment:
  BENCH_RUNS  measured calls per case (default 200)

Run with `.venv/bin/python bench/slots.py` (about a second). The figures are
printed against the target, never enforced: the exit status is 0.
"""

import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")

import django  # noqa: E402

django.setup()

from consultations.slots import Schedule, Window, free_slots  # noqa: E402

TARGET_MS = 5.0
WARMUP = 10
BOOKINGS = 1000
NOW = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)


def env_int(name, default):
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def schedule(taken):
    return Schedule(
        time_zone="Europe/Berlin",
        windows=[
            Window(day, clock(start), clock(end))
            for day in range(5)
            for start, end in [(8, 12), (13, 17)]
        ],
        dates_off={date(2026, 4, 3), date(2026, 4, 6)},  # Good Friday, Easter Monday
        taken=taken,
        minimum_notice=timedelta(hours=12),
        horizon=timedelta(days=30),
    )


def bookings(count, seed=20260320):
    """`count` distinct half-hour UTC instants within the 30 days after NOW."""
    grid = [NOW + timedelta(minutes=30 * i) for i in range(30 * 48)]
    return set(random.Random(seed).sample(grid, count))


def measure(sched, runs):
    for _ in range(WARMUP):
        free_slots(sched, NOW)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        free_slots(sched, NOW)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), statistics.quantiles(times, n=20)[18]


def main():
    runs = env_int("BENCH_RUNS", 200)
    cases = [
        (f"{BOOKINGS:,} bookings", schedule(bookings(BOOKINGS))),
        ("no bookings", schedule(set())),
    ]
    print(
        f"free_slots, Europe/Berlin, Mon-Fri 2 x 4 h, 30 days ahead, {runs} runs "
        f"(target: under {TARGET_MS:g} ms)"
    )
    print(f"{'case':<16} {'slots':>6} {'median ms':>10} {'p95 ms':>8}  target")
    for name, sched in cases:
        count = len(free_slots(sched, NOW))
        median, p95 = measure(sched, runs)
        verdict = "met" if p95 < TARGET_MS else "MISSED"
        print(f"{name:<16} {count:>6} {median:>10.3f} {p95:>8.3f}  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
