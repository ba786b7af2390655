"""Benchmark data: a directory the size the issue asks about, written fast.

    seed(specialists=10_000, bookings=1_000, questions=1_000)

writes, with bulk INSERTs on SQLite or PostgreSQL alike:
- `specialists` approved profiles (no photo) with one to three topics, one or
  two languages, a country and city, a rendered bio and its search text;
  seven in ten offer free consultations and have weekly hours (Monday to
  Friday, two blocks a day, in their own time zone);
- `bookings` confirmed bookings on times inside those hours;
- the free-slot copy the directory reads, as the site's own
  consultations.services.refresh_free_slots writes it (checked against it on
  every run), leaving the booked times out;
- `questions` public questions with one to three answers each;
- one specialist who can log in (LOGIN_EMAIL / LOGIN_PASSWORD), with
  bookings and three conversations, for the logged-in pages.

It returns a manifest (JSON-ready): the paths the benchmark loads and free
slots, one per specialist, for booking throughput.

Run it inside a site's environment: `python bench/data.py --specialists N`
with the site's settings in the environment (bench/prodsite.py builds them);
it migrates first (with --prepare it also does the rest of prepare_site's
work, saving three Django start-ups) and prints the manifest as JSON on its
last line of output. The data is the same on every run (fixed seed); "now" is the clock's.
"""

import argparse
import dataclasses
import hashlib
import io
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LOGIN_EMAIL = "bench-login@example.invalid"
LOGIN_PASSWORD = "bench-password-not-secret"  # a throwaway database's account
SEED = 20261202

TOPICS = ["Sexual harassment", "Workplace bullying", "Stalking", "Online harassment",
          "Trauma", "Anxiety", "Relationships"]  # fmt: skip
LANGUAGES = {"en": "English", "de": "German", "fr": "French", "es": "Spanish",
             "pl": "Polish", "uk": "Ukrainian", "hi": "Hindi"}  # fmt: skip
HEADLINES = ["Clinical psychologist", "Counsellor", "Psychotherapist",
             "Trauma therapist", "Counselling psychologist"]  # fmt: skip
# City, country, time zone.
PLACES = [("Berlin", "DE", "Europe/Berlin"), ("London", "GB", "Europe/London"),
          ("Paris", "FR", "Europe/Paris"), ("Madrid", "ES", "Europe/Madrid"),
          ("Warsaw", "PL", "Europe/Warsaw"), ("New York", "US", "America/New_York"),
          ("Mumbai", "IN", "Asia/Kolkata"), ("Łódź", "PL", "Europe/Warsaw")]  # fmt: skip
BIO_SENTENCES = [
    "I work with adults after harassment at work, online or at home.",
    "Sessions are calm and go at your pace.",
    "Much of my work is with **anxiety**, sleep problems and loss of confidence.",
    "I have worked in community mental-health services for many years.",
    "We can talk about what happened, or about what you need now.",
    "I also support people who are unsure whether what happened counts.",
]
FIRST_NAMES = ["Anna", "Ben", "Chloé", "Dariusz", "Elif", "Farah", "Gustav",
               "Hana", "Ines", "José", "Kasia", "Liam", "Meera", "Noor"]  # fmt: skip
LAST_NAMES = ["Schmidt", "Okafor", "Dubois", "Nowak", "García", "Patel",
              "Müller", "Smith", "Kowalczyk", "Rossi", "Ahmed", "Jansen"]  # fmt: skip
# Monday to Friday, two blocks a day, local time.
HOURS = [(day, clock(9), clock(12)) for day in range(5)] + [
    (day, clock(13), clock(17)) for day in range(5)
]


def seed(*, specialists=10_000, bookings=1_000, questions=1_000, now=None):
    """Writes the benchmark data into an empty, migrated database; returns the
    manifest (see the module docstring)."""
    from django.db import transaction
    from django.utils import timezone

    now = now or timezone.now()
    rng = random.Random(SEED)
    with transaction.atomic():
        topics, languages = _topics_and_languages()
        profiles = _specialists(rng, specialists, topics, languages, now)
        with_hours = [s for s in profiles if s.offers_free_consultation]
        _hours(with_hours)
        taken = _bookings(rng, with_hours, bookings, now)
        asked = _questions(rng, questions, profiles, topics, now)
        login = _login_specialist(rng, topics, languages, now)
        taken[login.pk] = list(login.bookings.values_list("start", flat=True))
        _free_slots([*with_hours, login], taken, now)
    # One specialist with bookings, one without, in different zones.
    check_free_slots([with_hours[0], with_hours[-1], login], now)
    return _manifest(profiles, asked, login, now)


def _topics_and_languages():
    from django.utils.text import slugify

    from core.models import Topic
    from specialists.models import Language

    topics = [
        Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in TOPICS
    ]
    languages = [
        Language.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in LANGUAGES.items()
    ]
    return topics, languages


def _users(emails):
    from django.contrib.auth.hashers import make_password

    from accounts.models import User

    password = make_password(None)  # unusable: nobody logs in as these
    return User.objects.bulk_create(
        (User(email=email, password=password) for email in emails), batch_size=2000
    )


def _specialists(rng, count, topics, languages, now):
    """`count` approved profiles; bulk_create skips save(), so the rendered
    bio and the search text are written here."""
    from core.markdown import render_markdown
    from specialists.models import Specialist

    users = _users(f"bench-{i}@example.invalid" for i in range(count))
    rendered = {}  # a few hundred distinct bios: render each once
    specialists = []
    for i, user in enumerate(users):
        city, country, zone = rng.choice(PLACES)
        bio = " ".join(rng.sample(BIO_SENTENCES, 4))
        if bio not in rendered:
            rendered[bio] = render_markdown(bio)
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {i:05}"
        specialists.append(
            Specialist(
                user=user,
                slug=f"bench-{i}",
                display_name=name,
                headline=rng.choice(HEADLINES),
                bio=bio,
                bio_html=rendered[bio],
                offers_video=True,
                video_link=f"https://meet.example.org/bench-{i}",
                offers_phone=rng.random() < 0.4,
                offers_in_person=rng.random() < 0.5,
                offers_free_consultation=rng.random() < 0.7,
                is_verified=rng.random() < 0.3,
                city=city,
                country=country,
                time_zone=zone,
                years_of_practice=rng.randint(1, 30),
                status=Specialist.Status.APPROVED,
                reviewed_at=now - timedelta(minutes=i),
            )
        )
    Specialist.objects.bulk_create(specialists, batch_size=2000)
    _link(rng, specialists, topics, languages)
    # The search text is a function of the fields and the related names.
    Specialist.objects.filter(pk__in=[s.pk for s in specialists]).refresh_search_text()
    return specialists


def _link(rng, specialists, topics, languages):
    from specialists.models import Specialist

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


def _hours(specialists):
    from consultations.models import Availability, WeeklyWindow

    availabilities = Availability.objects.bulk_create(
        (Availability(specialist=s) for s in specialists), batch_size=2000
    )
    WeeklyWindow.objects.bulk_create(
        (WeeklyWindow(availability=a, weekday=day, start=start, end=end)
         for a in availabilities for day, start, end in HOURS),
        batch_size=5000,
    )  # fmt: skip


def _schedule(specialist, taken=()):
    from consultations import slots
    from consultations.models import Availability

    defaults = {f.name: f.default for f in Availability._meta.fields if f.has_default()}
    return slots.Schedule(
        time_zone=specialist.time_zone,
        windows=[slots.Window(day, start, end) for day, start, end in HOURS],
        dates_off=set(),
        taken=set(taken),
        minimum_notice=timedelta(hours=defaults["minimum_notice_hours"]),
        horizon=timedelta(days=defaults["horizon_days"]),
    )


def _bookings(rng, specialists, count, now):
    """`count` confirmed bookings, two per specialist, on free times (computed
    by the site's own slot function) one to three weeks ahead. Returns the
    taken times by specialist."""
    from consultations import slots
    from consultations.models import Booking

    taken = {}
    rows = []
    for i in range(count):
        specialist = specialists[(i // 2) % len(specialists)]
        if specialist.pk not in taken:
            free = slots.free_slots(_schedule(specialist), now)
            taken[specialist.pk] = []
        # The 20th free time onwards, seven apart: never one taken before.
        start = free[20 + 7 * len(taken[specialist.pk])]
        taken[specialist.pk].append(start)
        rows.append(
            Booking(
                specialist=specialist,
                start=start,
                name=f"Visitor {i}",
                email=f"visitor-{i}@example.invalid",
                preferred_format=Booking.Format.VIDEO,
                visitor_time_zone=rng.choice(PLACES)[2],
                consented_at=now,
                manage_token_hash=hashlib.sha256(f"bench-manage-{i}".encode()).hexdigest(),
                form_token=f"bench-form-{i}",
            )
        )  # fmt: skip
    Booking.objects.bulk_create(rows, batch_size=2000)
    return taken


def _questions(rng, count, specialists, topics, now):
    """`count` public questions from 200 askers, each with one to three answers
    by different specialists; every third has an accepted answer."""
    from questions.models import Answer, Question

    askers = _users(f"bench-asker-{i}@example.invalid" for i in range(200))
    asked = Question.objects.bulk_create(
        (
            Question(
                author=rng.choice(askers),
                title=f"How do I cope when it keeps happening? ({i})",
                body=" ".join(rng.sample(BIO_SENTENCES, 3)),
                topic=rng.choice(topics),
                created_at=now - timedelta(hours=i * 7),
            )
            for i in range(count)
        ),
        batch_size=2000,
    )
    Answer.objects.bulk_create(
        (
            Answer(
                question=question,
                specialist=specialist,
                body=" ".join(rng.sample(BIO_SENTENCES, 4)),
                is_accepted=(n == 0 and i % 3 == 0),
                created_at=question.created_at + timedelta(hours=n + 1),
            )
            for i, question in enumerate(asked)
            for n, specialist in enumerate(
                rng.sample(specialists[:500], rng.randint(1, 3))
            )
        ),
        batch_size=2000,
    )
    return asked


def _login_specialist(rng, topics, languages, now):
    """A specialist with a password and a verified address (login needs one),
    with hours, two bookings and three conversations of ten messages."""
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from consultations import slots
    from consultations.models import Booking
    from messaging.models import Conversation, Message
    from specialists.models import Specialist

    user = User.objects.create_user(email=LOGIN_EMAIL, password=LOGIN_PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)  # fmt: skip
    specialist = Specialist.objects.create(
        user=user,
        slug="bench-login",
        display_name="Bench Login",
        headline="Counsellor",
        bio="I take part in the benchmark.",
        video_link="https://meet.example.org/bench-login",
        time_zone="Europe/Berlin",
        city="Berlin",
        country="DE",
        status=Specialist.Status.APPROVED,
        reviewed_at=now,
    )
    specialist.topics.set(topics[:2])
    specialist.languages.set(languages[:2])
    _hours([specialist])
    free = slots.free_slots(_schedule(specialist), now)
    Booking.objects.bulk_create(
        Booking(specialist=specialist, start=free[n], name=f"Login visitor {n}",
                email=f"login-visitor-{n}@example.invalid",
                preferred_format=Booking.Format.VIDEO, consented_at=now,
                manage_token_hash=hashlib.sha256(f"bench-login-{n}".encode()).hexdigest(),
                form_token=f"bench-login-form-{n}")
        for n in (3, 9)
    )  # fmt: skip
    people = _users(f"bench-writer-{i}@example.invalid" for i in range(3))
    for number, person in enumerate(people, start=1000):
        conversation = Conversation.objects.create(
            user=person, specialist=specialist, visitor_number=number
        )
        Message.objects.bulk_create(
            Message(
                conversation=conversation,
                sender=person if n % 2 == 0 else user,
                body=rng.choice(BIO_SENTENCES),
            )
            for n in range(10)
        )
        conversation.last_message_at = now
        conversation.user_read_at = now
        conversation.save()
    return specialist


def _free_slots(specialists, taken, now):
    """The free-slot copy of every specialist, as refresh_free_slots writes
    it, but in one executemany: that function takes about 18 ms a specialist
    (two minutes for 7,000), most of it spent computing the same slots again
    for everyone in one time zone with the same hours. check_free_slots()
    proves the rows equal the real function's."""
    from django.db import connection

    from consultations import services, slots
    from specialists.models import FreeSlot

    adapt = connection.ops.adapt_datetimefield_value
    lead = services.FREE_SLOTS_LEAD
    computed = {}
    rows = []
    for specialist in specialists:
        mine = tuple(sorted(taken.get(specialist.pk, ())))
        key = (specialist.time_zone, mine)
        if key not in computed:
            schedule = _schedule(specialist, mine)
            notice, horizon = schedule.minimum_notice, schedule.horizon
            schedule = dataclasses.replace(schedule, horizon=horizon + lead)
            last_needed = now + lead + notice
            times = []
            for start in slots.free_slots(schedule, now):
                times.append((start, start - notice, start - horizon))
                if start > last_needed:
                    break
            computed[key] = times
        rows.extend((specialist.pk, *map(adapt, times)) for times in computed[key])
    # Half a million rows for 10,000 specialists: plain executemany, as
    # building a model instance per row would take most of a minute.
    table = connection.ops.quote_name(FreeSlot._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (specialist_id, start, bookable_until, visible_from) "
            "VALUES (%s, %s, %s, %s)",
            rows,
        )


def check_free_slots(specialists, now):
    """Rewrites the free slots of `specialists` with the site's own
    refresh_free_slots and raises if they differ from what was there."""
    from consultations.services import refresh_free_slots
    from specialists.models import FreeSlot

    def rows(specialist):
        return set(
            FreeSlot.objects.filter(specialist=specialist).values_list(
                "start", "bookable_until", "visible_from"
            )
        )

    for specialist in specialists:
        written = rows(specialist)
        refresh_free_slots(specialist, now=now)
        if rows(specialist) != written:
            raise RuntimeError(
                f"bench/data.py wrote other free slots for {specialist.slug} "
                "than consultations.services.refresh_free_slots does"
            )


def _manifest(profiles, asked, login, now):
    from django.db.models import Min

    from messaging.models import Conversation
    from specialists.models import FreeSlot

    # The first offered slot of each specialist who has one: distinct
    # specialists, so bookings made at once never wait for each other's lock.
    firsts = (
        FreeSlot.objects.offered(now)
        .exclude(specialist=login)
        .values("specialist__slug")
        .annotate(first=Min("start"))
        .order_by("specialist__slug")
    )
    bookable = [p for p in profiles if p.offers_free_consultation]
    profile = bookable[len(bookable) // 2]
    question = asked[len(asked) // 2]
    conversation = Conversation.objects.filter(specialist=login).order_by("pk").first()
    return {
        "profile": profile.get_absolute_url(),
        "book": f"{profile.get_absolute_url()}book/",
        "question": question.get_absolute_url(),
        "conversation": conversation.get_absolute_url(),
        "login_email": LOGIN_EMAIL,
        "login_password": LOGIN_PASSWORD,
        "slots": [
            [row["specialist__slug"], row["first"].astimezone(UTC).isoformat()]
            for row in firsts
        ],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specialists", type=int, default=10_000)
    parser.add_argument("--bookings", type=int, default=1_000)
    parser.add_argument("--questions", type=int, default=1_000)
    parser.add_argument(
        "--prepare",
        action="store_true",
        help="first do what bench/prodsite.py's prepare_site does (migrate, "
        "cache table, seed article, collectstatic), in this one process",
    )
    options = parser.parse_args(argv)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)
    if options.prepare:
        call_command("createcachetable", verbosity=0)
        call_command("load_content", stdout=io.StringIO())
        call_command("collectstatic", "--no-input", verbosity=0)
    started = time.perf_counter()
    manifest = seed(
        specialists=options.specialists,
        bookings=options.bookings,
        questions=options.questions,
    )
    manifest["seconds"] = round(time.perf_counter() - started, 1)
    manifest["generated_at"] = datetime.now(UTC).isoformat()
    print(json.dumps(manifest))


if __name__ == "__main__":
    main()
