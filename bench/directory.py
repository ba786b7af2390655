"""Server time of the specialist directory (/specialists/) as it grows: the
median for five typical requests with 1,000, 10,000 and 100,000 approved
specialists (with free times, topics and languages), side by side, cold.

Cold: every request carries a query parameter of its own (ignored by the
directory), so no page cache can answer it; what is measured is the view, the
queries and the templates. Django's per-process caches (compiled templates,
the select options of core/select.py) are warm, as they are in production
after the first request.

Runs in-process: the requests go through django.test.Client into the full
middleware stack, view and templates, with production settings (DEBUG off,
cached template loader, CONN_MAX_AGE) and a fresh database, deleted
afterwards: SQLite in a temporary directory, or with
BENCH_DIRECTORY_DATABASE=postgresql a throwaway PostgreSQL cluster
(bench/services.py). In-process, because what is measured here is what Django
and the database spend on the page; gunicorn and the HTTP round trip add the
same to every page and are measured by bench/article_vs_static.py. The rows
are added with bulk INSERTs, the sizes one after the other in one database.

The static files storage is the plain one (no collectstatic run, which would
dominate the run time; the hashed-name lookup it saves is a dict lookup), and
every site variable of the caller (DATABASE_URL...) is ignored
(bench/prodsite.py builds the environment from scratch).

Environment:
  BENCH_REQUESTS            measured requests per case and size (default 30)
  BENCH_DIRECTORY_SIZES     comma-separated sizes (default 1000,10000,100000)
  BENCH_DIRECTORY_DATABASE  sqlite (default) or postgresql

`make bench-directory` prints the table (a few minutes: seeding 100,000
specialists and their 3.6 million free times takes most of it); `growth()`
returns its rows for `make bench`. The figures are printed, never enforced:
the exit status is 0 unless a request fails.
"""

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.prodsite import PROJECT_ROOT, production_env  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
CASES = [
    ("no filters", "/specialists/"),
    ("topic + free", "/specialists/?topic=trauma&free=on"),
    ("text search", "/specialists/?q=anxiety"),
    ("page 50", "/specialists/?page=50"),
    ("soonest", "/specialists/?sort=soonest"),
]
WARMUP = 3
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


def env_sizes():
    raw = os.environ.get("BENCH_DIRECTORY_SIZES", "").strip()
    return tuple(int(size) for size in raw.split(",")) if raw else SIZES


def configure(directory, database_url=None):
    """Production settings, with every file in `directory`; then django.setup()."""
    env = production_env(
        directory, database_url=database_url, DJANGO_ALLOWED_HOSTS=HOST
    )
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


def seed(count, first=0):
    """`count` more approved specialists (numbered from `first`) with 1–3
    topics and 1–2 languages each; seven in ten offer free consultations, and
    four in five of those have a week of free times in the copy the directory
    reads (eight a day, from a random hour: what refresh_free_slots writes)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from accounts.models import User
    from core.models import Topic
    from specialists.models import FreeSlot, Language, Specialist
    from specialists.search import search_words

    rng = random.Random(20261125 + first)  # the same data on every run
    with transaction.atomic():
        topics = [
            Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
            for name in TOPICS
        ]
        languages = [
            Language.objects.get_or_create(code=code, name=name)[0]
            for code, name in LANGUAGES.items()
        ]
        password = make_password(None)
        users = User.objects.bulk_create(
            (User(email=f"bench-{i}@example.invalid", password=password)
             for i in range(first, first + count)),
            batch_size=2000,
        )  # fmt: skip
        specialists, their_topics, their_languages = [], [], []
        for i, user in enumerate(users, start=first):
            city, country = rng.choice(CITIES)
            chosen_topics = rng.sample(topics, rng.randint(1, 3))
            chosen_languages = rng.sample(languages, rng.randint(1, 2))
            specialist = Specialist(
                user=user,
                slug=f"bench-{i}",
                display_name=f"Specialist {i:06}",
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
            # Bulk inserts skip save(): the search text as it would build it.
            names = [t.name for t in chosen_topics] + [
                lang.name for lang in chosen_languages
            ]
            specialist.search_text = " ".join(
                search_words(" ".join([specialist.build_search_text(), *names]))
            )
            specialists.append(specialist)
            their_topics.append(chosen_topics)
            their_languages.append(chosen_languages)
        Specialist.objects.bulk_create(specialists, batch_size=2000)
        Specialist.topics.through.objects.bulk_create(
            (Specialist.topics.through(specialist_id=s.pk, topic_id=t.pk)
             for s, chosen in zip(specialists, their_topics, strict=True)
             for t in chosen),
            batch_size=5000,
        )  # fmt: skip
        Specialist.languages.through.objects.bulk_create(
            (Specialist.languages.through(specialist_id=s.pk, language_id=lang.pk)
             for s, chosen in zip(specialists, their_languages, strict=True)
             for lang in chosen),
            batch_size=5000,
        )  # fmt: skip
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
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would, soon after


def measure(client, url, requests):
    """Server time of each request in ms, and the number of queries of one.
    Each request has a parameter of its own, so no page cache answers it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    separator = "&" if "?" in url else "?"
    serial = iter(range(10**9))

    def get():
        response = client.get(f"{url}{separator}cold={next(serial)}")
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return response

    for _ in range(WARMUP):
        get()
    with CaptureQueriesContext(connection) as captured:
        get()
    queries = len(captured)  # read now: the next request clears the log
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        get()
        times.append((time.perf_counter() - start) * 1000)
    return times, queries


def measure_sizes(sizes, requests):
    """Seeds up to each size in turn and measures every case there: one row
    per case, {"case", "url", "ms": [median per size], "queries": [...]}."""
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", "--no-input", verbosity=0)
    client = Client(HTTP_HOST=HOST)
    rows = [{"case": n, "url": u, "ms": [], "queries": []} for n, u in CASES]
    seeded = 0
    for size in sizes:
        seed(size - seeded, first=seeded)
        seeded = size
        for row in rows:
            times, queries = measure(client, row["url"], requests)
            row["ms"].append(round(statistics.median(times), 1))
            row["queries"].append(queries)
    return rows


def growth(sizes=SIZES, *, requests=None, database=None):
    """The directory's server time at each size, in a child process (it
    configures Django its own way): rows of {"case", "url", "ms", "queries"},
    "ms" and "queries" one value per size. database: "sqlite" (default) or
    "postgresql" (a throwaway cluster)."""
    env = {
        **os.environ,
        "BENCH_DIRECTORY_SIZES": ",".join(str(size) for size in sizes),
        "BENCH_DIRECTORY_DATABASE": database
        or os.environ.get("BENCH_DIRECTORY_DATABASE", "sqlite"),
    }
    if requests is not None:
        env["BENCH_REQUESTS"] = str(requests)
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--json"],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def format_table(rows, sizes):
    """The rows side by side, with the growth from the first size to the last."""
    header = "".join(f"{f'{size:,} ms':>13}" for size in sizes)
    lines = [f"{'case':<14}{header}{'growth':>9}{'queries':>9}  url"]
    for row in rows:
        figures = "".join(f"{ms:>13.1f}" for ms in row["ms"])
        factor = row["ms"][-1] / row["ms"][0] if row["ms"][0] else float("nan")
        queries = "/".join(str(q) for q in sorted(set(row["queries"])))
        lines.append(
            f"{row['case']:<14}{figures}{factor:>8.2f}x{queries:>9}  {row['url']}"
        )
    return "\n".join(lines)


def run(sizes, requests):
    """Configures Django in this process on a fresh database, measures."""
    database = os.environ.get("BENCH_DIRECTORY_DATABASE", "sqlite")
    with tempfile.TemporaryDirectory(prefix="bench-directory-") as directory:
        if database == "postgresql":
            from bench.services import postgres_server

            with postgres_server() as url:
                configure(directory, database_url=url)
                return measure_sizes(sizes, requests)
        configure(directory)
        return measure_sizes(sizes, requests)


def main():
    requests = env_int("BENCH_REQUESTS", 30)
    sizes = env_sizes()
    if "--json" in sys.argv[1:]:
        print(json.dumps(run(sizes, requests)))
        return
    database = os.environ.get("BENCH_DIRECTORY_DATABASE", "sqlite")
    started = time.perf_counter()
    rows = run(sizes, requests)
    print(
        f"Directory server time, median of {requests} cold requests, in-process "
        f"(DEBUG off), {database}; approved specialists with free times, topics "
        f"and languages; {time.perf_counter() - started:.0f} s in all\n"
    )
    print(format_table(rows, sizes))


if __name__ == "__main__":
    main()
