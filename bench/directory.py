"""Server time of the specialist directory (/specialists/) with 10,000 approved
specialists: median and p95 for four typical requests.

Runs in-process: the requests go through django.test.Client into the full
middleware stack, view and templates, with production settings (DEBUG off,
cached template loader, CONN_MAX_AGE) and a fresh SQLite database in a
temporary directory, deleted afterwards. In-process, because what is measured
here is what Django and the database spend on the page; gunicorn and the HTTP
round trip add the same to every page and are measured by
bench/article_vs_static.py. It also lets the 10,000 rows be written with a few
bulk INSERTs instead of through a management command in a subprocess.

Two deliberate differences from a real deployment: the static files storage is
the plain one (no collectstatic run, which would dominate the run time; the
hashed-name lookup it saves is a dict lookup), and the database is always
SQLite; DATABASE_URL and every other site variable of the caller are ignored
(bench/prodsite.py builds the environment from scratch).

Environment:
  BENCH_REQUESTS     measured requests per case (default 100)
  BENCH_SPECIALISTS  approved specialists (default 10000)

Run with `.venv/bin/python bench/directory.py` (about a minute: seeding the
free times takes most of it). The figures
are printed, never enforced: the exit status is 0 unless a request fails.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.prodsite import production_env  # noqa: E402

CASES = [
    ("no filters", "/specialists/"),
    ("topic + free", "/specialists/?topic=trauma&free=on"),
    ("text search", "/specialists/?q=anxiety"),
    ("page 50", "/specialists/?page=50"),
    ("soonest", "/specialists/?sort=soonest"),
]
WARMUP = 5
HOST = "localhost"

TOPICS = [
    "Sexual harassment",
    "Workplace bullying",
    "Stalking",
    "Online harassment",
    "Trauma",
    "Anxiety",
    "Relationships",
]
LANGUAGES = {"en": "English", "de": "German", "fr": "French", "es": "Spanish",
             "pl": "Polish", "uk": "Ukrainian", "hi": "Hindi"}  # fmt: skip
HEADLINES = ["Clinical psychologist", "Counsellor", "Psychotherapist",
             "Trauma therapist", "Counselling psychologist"]  # fmt: skip
CITIES = [("Berlin", "DE"), ("London", "GB"), ("Paris", "FR"), ("Madrid", "ES"),
          ("Warsaw", "PL"), ("New York", "US"), ("Mumbai", "IN"), ("", "")]  # fmt: skip
BIO_SENTENCES = [
    "I work with adults after harassment at work, online or at home.",
    "Sessions are calm and go at your pace.",
    "Much of my work is with anxiety, sleep problems and loss of confidence.",
    "I have worked in community mental-health services for many years.",
    "We can talk about what happened, or about what you need now.",
    "I also support people who are unsure whether what happened counts.",
]


def env_int(name, default):
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def configure(directory):
    """Production settings, with every file in `directory`; then django.setup()."""
    env = production_env(directory, DJANGO_ALLOWED_HOSTS=HOST)
    Path(env["STATIC_ROOT"]).mkdir()  # whitenoise warns about a missing one
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()
    from django.test.utils import override_settings

    plain_static = "django.contrib.staticfiles.storage.StaticFilesStorage"
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": plain_static},
        }
    ).enable()


def seed(count):
    """`count` approved specialists with 1–3 topics and 1–2 languages each;
    seven in ten offer free consultations, and four in five of those have a
    week of free times in the copy the directory reads (eight a day, from
    a random hour: what refresh_free_slots writes)."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from accounts.models import User
    from core.models import Topic
    from specialists.models import FreeSlot, Language, Specialist

    call_command("migrate", "--no-input", verbosity=0)
    rng = random.Random(20261125)  # the same data on every run
    with transaction.atomic():
        topics = Topic.objects.bulk_create(
            Topic(name=name, slug=slugify(name)) for name in TOPICS
        )
        languages = Language.objects.bulk_create(
            Language(code=code, name=name) for code, name in LANGUAGES.items()
        )
        password = make_password(None)
        users = User.objects.bulk_create(
            (User(email=f"bench-{i}@example.invalid", password=password)
             for i in range(count)),
            batch_size=2000,
        )  # fmt: skip
        specialists = []
        for i, user in enumerate(users):
            city, country = rng.choice(CITIES)
            specialists.append(
                Specialist(
                    user=user,
                    slug=f"bench-{i}",
                    display_name=f"Specialist {i:05}",
                    headline=rng.choice(HEADLINES),
                    bio=" ".join(rng.sample(BIO_SENTENCES, 4)),
                    offers_video=rng.random() < 0.8,
                    offers_phone=rng.random() < 0.4,
                    offers_in_person=rng.random() < 0.5,
                    offers_free_consultation=rng.random() < 0.7,
                    is_verified=rng.random() < 0.3,
                    city=city,
                    country=country,
                    status=Specialist.Status.APPROVED,
                )
            )
        Specialist.objects.bulk_create(specialists, batch_size=2000)
        Specialist.topics.through.objects.bulk_create(
            (Specialist.topics.through(specialist_id=s.pk, topic_id=t.pk)
             for s in specialists for t in rng.sample(topics, rng.randint(1, 3))),
            batch_size=5000,
        )  # fmt: skip
        Specialist.languages.through.objects.bulk_create(
            (Specialist.languages.through(specialist_id=s.pk, language_id=lang.pk)
             for s in specialists for lang in rng.sample(languages, rng.randint(1, 2))),
            batch_size=5000,
        )  # fmt: skip
        # Bulk inserts skip save(): the text search needs its folded text.
        Specialist.objects.refresh_search_text()
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        FreeSlot.objects.bulk_create(
            (FreeSlot(specialist_id=s.pk, start=start,
                      bookable_until=start - timedelta(hours=12),
                      visible_from=start - timedelta(days=30))
             for s in specialists if s.offers_free_consultation and rng.random() < 0.8
             for first in [now + timedelta(hours=12 + rng.randint(1, 48))]
             for start in (first + timedelta(days=d, minutes=30 * k)
                           for d in range(8) for k in range(8))),
            batch_size=5000,
        )  # fmt: skip


def measure(client, url, requests):
    """Server time of each request in ms, and the number of queries of one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    queries = len(captured)  # read now: the next request clears the log
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return times, queries


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main():
    requests = env_int("BENCH_REQUESTS", 100)
    count = env_int("BENCH_SPECIALISTS", 10_000)
    with tempfile.TemporaryDirectory(prefix="bench-directory-") as directory:
        configure(directory)
        from django.test import Client

        started = time.perf_counter()
        seed(count)
        print(
            f"{count} approved specialists in SQLite, seeded in "
            f"{time.perf_counter() - started:.1f} s; {requests} requests per case "
            "(DEBUG off, in-process)\n"
        )
        client = Client(HTTP_HOST=HOST)
        print(f"{'case':<14} {'median ms':>10} {'p95 ms':>8} {'queries':>8}  url")
        for name, url in CASES:
            times, queries = measure(client, url, requests)
            print(
                f"{name:<14} {statistics.median(times):>10.1f} "
                f"{percentile(times, 0.95):>8.1f} {queries:>8}  {url}"
            )


if __name__ == "__main__":
    main()
