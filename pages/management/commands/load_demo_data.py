"""`manage.py load_demo_data`: a development site that demonstrates itself.

Made-up specialists in several time zones, with weekly hours, some of them
fully booked, some not offering free consultations, and demo bookings in every
state (confirmed, cancelled, completed, no-show). It lives in `pages`, the top
floor, because it fills both `specialists` and `consultations`.

Profiles are created once and then left alone. Hours and demo bookings are
refreshed on every run: bookings are placed relative to "now", so yesterday's
would slowly slide into the past; each run deletes the demo bookings of the
demo profiles and books them again from the current free slots. Two runs in
the same minute give the same data.

Two of the users can log in, with one known password (DEMO_PASSWORD), so that
a newcomer can try both sides at once: the first demo specialist
(DEMO_SPECIALIST_EMAIL, Ada Example: approved, bookable, with demo bookings)
and a staff member who reviews profiles (DEMO_STAFF_EMAIL: the specialists
app's view and change permissions, not a superuser). They are made only with
DEBUG on: --force on a site with DEBUG off loads the profiles, never a login
whose password is printed in the README.
"""

import io
import itertools
import secrets
from dataclasses import dataclass
from datetime import time, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont

from accounts.models import User
from consultations import services
from consultations.models import Availability, Booking, WeeklyWindow
from core.models import Topic
from messaging.models import Conversation, Message
from messaging.services import start_conversation
from specialists import services as specialist_services
from specialists.models import Approach, Language, Specialist

TOPICS = [
    "Sexual harassment",
    "Workplace bullying",
    "Stalking",
    "Online harassment",
    "Trauma",
    "Anxiety",
    "Relationships",
]
APPROACHES = ["CBT", "Psychodynamic", "EMDR", "Person-centred", "Systemic", "ACT"]
LANGUAGES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "pl": "Polish",
    "uk": "Ukrainian",
    "hi": "Hindi",
    "pt": "Portuguese",
    "ja": "Japanese",
}
# Calm photo backgrounds (sage, slate blue, sand, lavender, teal, clay).
PALETTE = [
    (122, 150, 128),
    (92, 118, 150),
    (176, 156, 118),
    (136, 124, 168),
    (70, 128, 130),
    (168, 118, 100),
]


@dataclass
class Demo:
    name: str
    headline: str
    city: str
    country: str
    time_zone: str
    languages: tuple
    topics: tuple
    approaches: tuple
    formats: tuple  # of "video", "phone", "in_person"
    free: bool = True
    verified: bool = False
    fee: tuple | None = None  # (amount, currency)
    # Weekly hours in the specialist's own time: (weekday, "HH:MM", "HH:MM"),
    # Monday is 0. Only for those offering free consultations.
    hours: tuple = ()
    # Every free slot gets a demo booking: the "no free times" case.
    fully_booked: bool = False
    horizon_days: int = 30
    # Demo bookings besides the full ones, by status: shows every state.
    bookings: tuple = ()
    # Phone: visitors call this number (one reserved for fiction), else the
    # specialist calls them.
    phone_number: str = ""


# Invented on purpose: "Example", "Sample", "Testowy" (Polish for "test"),
# "Yohaku" (Japanese for "blank space")…
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
DEMOS = [
    Demo("Ada Example", "Clinical psychologist", "Berlin", "DE", "Europe/Berlin",
         ("en", "de"), ("Sexual harassment", "Trauma"), ("CBT", "EMDR"),
         ("video", "in_person"), verified=True, fee=("90", "EUR"),
         hours=((MON, "09:00", "12:00"), (WED, "14:00", "17:30"), (FRI, "09:00", "11:00")),
         bookings=("completed", "confirmed", "cancelled")),
    Demo("Sam Sample", "Counsellor", "London", "GB", "Europe/London",
         ("en",), ("Workplace bullying", "Anxiety"), ("Person-centred",),
         ("video", "phone"), fee=("70", "GBP"), phone_number="+44 20 7946 0123",
         hours=((TUE, "17:00", "18:30"), (THU, "17:00", "18:30")),
         fully_booked=True, horizon_days=14),
    Demo("Mira Mockwell", "Psychotherapist", "Paris", "FR", "Europe/Paris",
         ("fr", "en"), ("Stalking", "Trauma"), ("Psychodynamic",),
         ("video", "in_person"), verified=True,
         hours=((TUE, "10:00", "12:00"), (THU, "15:00", "18:00"), (SAT, "10:00", "12:00")),
         bookings=("no_show", "confirmed")),
    Demo("Tomasz Testowy", "Psychologist", "Łódź", "PL", "Europe/Warsaw",
         ("pl", "en", "uk"), ("Online harassment", "Anxiety"), ("CBT", "ACT"),
         ("video",), fee=("250", "PLN"),
         hours=((MON, "16:00", "19:00"), (WED, "16:00", "19:00"), (FRI, "12:00", "14:00")),
         bookings=("confirmed",)),
    Demo("Priya Prototype", "Counselling psychologist", "Bengaluru", "IN",
         "Asia/Kolkata", ("hi", "en"), ("Sexual harassment", "Relationships"),
         ("Systemic",), ("video", "phone"), verified=True, fee=("2500", "INR"),
         hours=((MON, "10:00", "13:00"), (TUE, "18:00", "20:00"),
                (THU, "10:00", "13:00"), (SAT, "09:00", "11:00")),
         bookings=("completed", "cancelled")),
    Demo("Lena Lorem", "Trauma therapist", "Munich", "DE", "Europe/Berlin",
         ("de",), ("Trauma", "Stalking"), ("EMDR",), ("in_person",), free=False,
         fee=("110", "EUR")),
    Demo("Jordan Placeholder", "Licensed clinical social worker", "New York", "US",
         "America/New_York", ("en", "es"), ("Workplace bullying", "Sexual harassment"),
         ("CBT", "Person-centred"), ("video", "phone"), fee=("150", "USD"),
         hours=((MON, "12:00", "13:00"), (WED, "12:00", "13:00"), (FRI, "12:00", "13:00")),
         fully_booked=True, horizon_days=14, bookings=("completed",),
         phone_number="+1 212 555 0142"),
    Demo("Carmen Ficticia", "Clinical psychologist", "São Paulo", "BR",
         "America/Sao_Paulo", ("pt", "es", "en"), ("Relationships", "Anxiety"),
         ("Systemic", "ACT"), ("video", "in_person"),
         hours=((MON, "08:00", "11:00"), (WED, "19:00", "21:00"), (THU, "08:00", "11:00")),
         bookings=("cancelled",)),
    Demo("Oksana Zrazok", "Psychotherapist", "Lviv", "UA", "Europe/Kyiv",
         ("uk", "pl", "en"), ("Trauma", "Online harassment"), ("EMDR", "CBT"),
         ("video",), verified=True,
         hours=((TUE, "09:00", "12:00"), (THU, "09:00", "12:00"), (SUN, "17:00", "19:00")),
         bookings=("completed",)),
    Demo("Riley Dummyton", "Marriage and family therapist", "Los Angeles", "US",
         "America/Los_Angeles", ("en",), ("Relationships", "Online harassment"),
         ("Systemic",), ("video", "phone", "in_person"), free=False,
         fee=("180", "USD")),
    Demo("Yuki Yohaku", "Clinical psychologist", "Tokyo", "JP", "Asia/Tokyo",
         ("ja", "en"), ("Workplace bullying", "Anxiety"), ("ACT",),
         ("phone", "video"),
         hours=((MON, "19:00", "21:00"), (WED, "19:00", "21:00"), (SAT, "10:00", "13:00")),
         bookings=("confirmed",)),
    Demo("Felix Fauxmann", "Psychotherapist", "Hamburg", "DE", "Europe/Berlin",
         ("de", "en", "fr"), ("Sexual harassment", "Workplace bullying"),
         ("Psychodynamic",), ("in_person", "video"), fee=("100", "EUR"),
         hours=((TUE, "08:00", "10:00"), (THU, "13:00", "16:00"), (FRI, "14:00", "17:00")),
         bookings=("no_show",)),
]  # fmt: skip

# Two more, waiting in the admin's review queue ("Profiles to review") so that
# staff can try it: one submitted for the first time, and one approved, then
# edited (headline and bio), which shows what changed since the approval.
REVIEW_DEMOS = [
    Demo("Noor Newcomer", "Counsellor", "Vienna", "AT", "Europe/Vienna",
         ("de", "en"), ("Workplace bullying",), ("Person-centred",), ("video",)),
    Demo("Eden Edited", "Psychologist", "Dublin", "IE", "Europe/Dublin",
         ("en",), ("Online harassment", "Anxiety"), ("CBT",), ("video",)),
]  # fmt: skip
EDITED_HEADLINE = "Psychologist and trauma therapist"
EDITED_BIO = """
Since the last review, {name} also offers EMDR for trauma that followed online
harassment.
"""

# The people who "booked": invented, at example.org (RFC 2606), which no one
# can register; the note says what they are to anyone reading the dashboard.
VISITORS = [
    "Alex Beispiel", "Robin Exemplo", "Kim Muster", "Sasha Probe", "Chris Ejemplo",
    "Jamie Tamashii", "Noa Przyklad", "Lou Zrazkova", "Dana Esempio", "Eli Voorbeeld",
]  # fmt: skip
VISITOR_TIME_ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata"]
DEMO_NOTE = "Demo booking"
DEMO_VISITOR_DOMAIN = "@example.org"

BIO = """\
**This is a demo profile.** {name} is not a real person: the profile was made up
to show how the directory looks, and nobody reads messages sent to it.

{name} is described as a {headline_lower} who works with people affected by
{topics_lower}, using {approaches}.
"""


def meeting_details(demo, number):
    """What a booked visitor needs for each format the demo offers, on
    addresses and numbers nobody can reach (.invalid, fiction numbers)."""
    details = {}
    if "video" in demo.formats:
        details["video_link"] = f"https://meet.example.invalid/demo-{number}"
    if "phone" in demo.formats:
        details["phone_direction"] = (
            Specialist.PhoneDirection.VISITOR_CALLS
            if demo.phone_number
            else Specialist.PhoneDirection.SPECIALIST_CALLS
        )
        details["phone_number"] = demo.phone_number
    if "in_person" in demo.formats:
        details["address"] = f"Demo practice, {number} Example Street\n{demo.city}"
    return details


def demo_email(number):
    # .invalid is reserved (RFC 2606): no mailbox can ever receive these.
    return f"demo-{number}@example.invalid"


def demo_emails():
    return [demo_email(n) for n in range(1, len(DEMOS) + len(REVIEW_DEMOS) + 1)]


# The demo logins: other code (tests, demos) uses these names, not the values.
DEMO_SPECIALIST_EMAIL = demo_email(1)
DEMO_STAFF_EMAIL = "demo-staff@example.invalid"
DEMO_PASSWORD = "try-the-demo"  # printed on purpose: demo logins only


def set_up_login(user):
    """Lets `user` log in at once with DEMO_PASSWORD: allauth refuses an
    address that is not verified."""
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def create_demo_logins():
    """The demo specialist's and the demo staff member's logins; returns the
    lines that say how to use them."""
    specialist_user = User.objects.get(
        email=DEMO_SPECIALIST_EMAIL, specialist__is_demo=True
    )
    set_up_login(specialist_user)
    staff, _created = User.objects.get_or_create(
        email=DEMO_STAFF_EMAIL, defaults={"name": "Demo Staff", "is_staff": True}
    )
    # Review needs to see and change profiles; deleting them or running the
    # rest of the site does not belong to a demo login.
    staff.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="specialists",
            codename__regex=r"^(view|change)_",
        )
    )
    set_up_login(staff)
    return [
        f"Demo specialist login: {DEMO_SPECIALIST_EMAIL} / {DEMO_PASSWORD}",
        f"Demo staff login (reviews profiles in /admin/): {DEMO_STAFF_EMAIL} / "
        f"{DEMO_PASSWORD}",
    ]


def initials_photo(initials, colour):
    """A 400×400 JPEG: the initials, centred, on a calm colour."""
    image = Image.new("RGB", (400, 400), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=150)
    left, top, right, bottom = draw.textbbox((0, 0), initials, font=font)
    position = ((400 - (right - left)) / 2 - left, (400 - (bottom - top)) / 2 - top)
    draw.text(position, initials, font=font, fill=(255, 255, 255))
    output = io.BytesIO()
    image.save(output, "JPEG", quality=85)
    return output.getvalue()


def get_or_create_named(model, name):
    """A Topic or Approach by slug or name (either may already be taken)."""
    slug = slugify(name)
    found = model.objects.filter(Q(slug=slug) | Q(name=name)).first()
    return found or model.objects.create(name=name, slug=slug)


def free_slug(name):
    base = slug = f"demo-{slugify(name)}"
    n = 1
    while Specialist.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def set_hours(specialist, demo):
    """The demo's weekly hours, replacing whatever the profile had."""
    availability, _created = Availability.objects.update_or_create(
        specialist=specialist, defaults={"horizon_days": demo.horizon_days}
    )
    availability.windows.all().delete()
    WeeklyWindow.objects.bulk_create(
        WeeklyWindow(
            availability=availability,
            weekday=weekday,
            start=time.fromisoformat(start),
            end=time.fromisoformat(end),
        )
        for weekday, start, end in demo.hours
    )


def demo_bookings_of(specialist):
    return Booking.objects.filter(
        specialist=specialist, note=DEMO_NOTE, email__endswith=DEMO_VISITOR_DOMAIN
    )


def book_demo_consultations(specialist, demo, *, now):
    """Replaces the specialist's demo bookings with fresh ones; returns how
    many. Times come from the real slot computation, so they sit in the
    weekly hours and never collide with a real booking made on a dev site."""
    demo_bookings_of(specialist).delete()
    if not demo.hours:
        return 0
    # Past ones in the last fortnight, the most recent first.
    past = [
        start
        for start in services.free_slots(specialist, now=now - timedelta(days=14))
        if start < now - timedelta(days=1)
    ][::-1]
    future = services.free_slots(specialist, now=now)
    plan = (
        [(start, Booking.Status.CONFIRMED) for start in future]
        if demo.fully_booked
        else []
    )
    for n, status in enumerate(demo.bookings):
        if status in (Booking.Status.COMPLETED, Booking.Status.NO_SHOW):
            plan.append((past[n], status))
        else:
            # Spread out (every third slot), so free times stay between them.
            plan.append((future[3 * n + 2], status))
    visitors = itertools.count()
    Booking.objects.bulk_create(
        demo_booking(specialist, demo, start, status, next(visitors), now=now)
        for start, status in plan
    )
    return len(plan)


def demo_booking(specialist, demo, start, status, n, *, now):
    name = VISITORS[n % len(VISITORS)]
    booking = Booking(
        specialist=specialist,
        start=start,
        status=status,
        name=name,
        email=f"{slugify(name)}{DEMO_VISITOR_DOMAIN}",
        preferred_format=demo.formats[n % len(demo.formats)],
        note=DEMO_NOTE,
        visitor_time_zone=VISITOR_TIME_ZONES[n % len(VISITOR_TIME_ZONES)],
        consented_at=min(now, start - timedelta(days=2)),
        form_token=secrets.token_urlsafe(24),
    )
    if status == Booking.Status.CANCELLED:
        booking.cancelled_by = "visitor"
    # Nobody holds the link: the token is thrown away, only its hash is kept.
    booking.new_manage_token()
    return booking


# People who wrote to the first demo specialist, so that its inbox shows how
# conversations are told apart: one chose a name, two appear under their
# conversation's pseudonym; two conversations wait unread. Their addresses are
# .invalid and their passwords unusable: nobody can log in as them.
@dataclass(frozen=True)
class DemoConversation:
    email: str
    name: str
    # (from the visitor?, text, hours ago), oldest first.
    messages: tuple
    is_unread: bool


DEMO_CONVERSATIONS = [
    DemoConversation(
        email="demo-visitor-1@example.invalid",
        name="Jo",
        messages=(
            (True, "Hello, this is a demo message. Do you work with online "
             "harassment at work?", 50),
            (False, "Hello Jo, yes, I do. This reply is part of the demo too.", 30),
            (True, "Thank you. Could we talk next week?", 2),
        ),
        is_unread=True,
    ),
    DemoConversation(
        email="demo-visitor-2@example.invalid",
        name="",
        messages=(
            (True, "A demo message from someone who chose no name: the "
             "inbox shows a visitor number instead.", 5),
        ),
        is_unread=True,
    ),
    DemoConversation(
        email="demo-visitor-3@example.invalid",
        name="",
        messages=(
            (True, "A demo message, already read.", 80),
            (False, "A demo reply.", 75),
        ),
        is_unread=False,
    ),
]  # fmt: skip


def write_demo_conversations(specialist, *, now):
    """Starts the demo conversations with `specialist`, once: a conversation
    already there is left as it is, so its pseudonym stays. Returns how many
    were started."""
    started = 0
    for demo in DEMO_CONVERSATIONS:
        visitor = User.objects.filter(email=demo.email).first()
        if visitor is None:
            visitor = User.objects.create_user(
                demo.email, password=None, name=demo.name
            )
        conversation = start_conversation(user=visitor, specialist=specialist)
        if conversation.messages.exists():
            continue
        for from_visitor, text, hours_ago in demo.messages:
            message = Message.objects.create(
                conversation=conversation,
                sender=visitor if from_visitor else specialist.user,
                body=text,
            )
            sent = now - timedelta(hours=hours_ago)
            Message.objects.filter(pk=message.pk).update(created_at=sent)
        conversation.last_message_at = sent
        conversation.user_read_at = sent
        conversation.specialist_read_at = None if demo.is_unread else sent
        conversation.save()
        started += 1
    return started


def remove_demo_conversations():
    """Deletes the demo visitors and their conversations (which would
    otherwise outlive them, kept for the specialist)."""
    emails = [demo.email for demo in DEMO_CONVERSATIONS]
    Conversation.objects.filter(user__email__in=emails).delete()
    User.objects.filter(email__in=emails, specialist__isnull=True).delete()


class Command(BaseCommand):
    help = (
        f"Creates {len(DEMOS)} made-up, approved specialist profiles marked as demo "
        "profiles, for development and demonstrations: users "
        "demo-N@example.invalid with unusable passwords (nobody can log in as "
        "them), generated initials photos, and the topics, approaches and "
        "languages they use if missing. With DEBUG on, two logins with the "
        f"password {DEMO_PASSWORD!r}: {DEMO_SPECIALIST_EMAIL} (the first demo "
        f"specialist) and {DEMO_STAFF_EMAIL} (staff who review profiles). Profiles already there are left alone. "
        "On every run, the demo profiles' weekly hours are set again and their "
        f"demo bookings (visitors at example.org, note {DEMO_NOTE!r}) are deleted "
        "and booked again from the current free slots, so the fully booked ones "
        "stay full and the others keep free times. The first demo specialist also gets "
        f"{len(DEMO_CONVERSATIONS)} conversations from demo visitors "
        "(demo-visitor-N@example.invalid), written once and then left alone. "
        f"{len(REVIEW_DEMOS)} more demo profiles wait in the admin's review "
        "queue: one new, one approved then edited; if staff decided on them, "
        "the next run queues them again. Refuses to run with DEBUG "
        "off unless --force is given. --remove deletes the demo users, their "
        "profiles, hours, bookings and conversations."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo data even though DEBUG is off.",
        )
        parser.add_argument(
            "--remove",
            action="store_true",
            help="Delete the demo users (the staff login too), their profiles, hours, bookings and photos instead.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="With --remove: list what would be deleted, delete nothing.",
        )

    def handle(self, *args, force, remove, dry_run, **options):
        if remove:
            self.remove(dry_run=dry_run)
            return
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo data: DEBUG is off, so this looks like a "
                "production site. Demo data belongs on development sites only; "
                "pass --force if you really want made-up specialists listed here."
            )
        self.load()
        # The directory reads free times from their copy: write it for the
        # hours and bookings just loaded.
        call_command("refresh_free_slots", stdout=self.stdout)
        if settings.DEBUG:
            for line in create_demo_logins():
                self.stdout.write(line)
        else:
            self.stdout.write(
                "No demo logins: DEBUG is off, and their password is public."
            )

    @transaction.atomic
    def load(self):
        topics = {name: get_or_create_named(Topic, name) for name in TOPICS}
        approaches = {name: get_or_create_named(Approach, name) for name in APPROACHES}
        languages = {
            code: Language.objects.get_or_create(code=code, defaults={"name": name})[0]
            for code, name in LANGUAGES.items()
        }
        created = 0
        demos = []
        for number, demo in enumerate(DEMOS, start=1):
            email = demo_email(number)
            user = User.objects.filter(email=email).first()
            if user and hasattr(user, "specialist"):
                if user.specialist.is_demo:
                    demos.append((demo, user.specialist))
                else:
                    self.stderr.write(f"Skipped {email}: it has a real profile.")
                continue
            if user is None:
                user = User.objects.create_user(email, password=None, name=demo.name)
            specialist = self.create_specialist(user, demo, number)
            specialist.topics.set([topics[name] for name in demo.topics])
            specialist.approaches.set([approaches[name] for name in demo.approaches])
            specialist.languages.set([languages[code] for code in demo.languages])
            demos.append((demo, specialist))
            created += 1
            self.stdout.write(f"Created {specialist.display_name} ({email})")
        self.stdout.write(
            f"{created} demo specialists created, {len(DEMOS) - created} already there."
        )
        self.fill_review_queue(topics, approaches, languages)
        # One "now" for the whole run: the bookings fit together.
        now = timezone.now()
        booked = 0
        for demo, specialist in demos:
            set_hours(specialist, demo)
            booked += book_demo_consultations(specialist, demo, now=now)
        self.stdout.write(
            f"Weekly hours set and {booked} demo bookings made for "
            f"{len(demos)} demo specialists."
        )
        self.load_conversations(now=now)

    def load_conversations(self, *, now):
        specialist = Specialist.objects.filter(
            user__email=DEMO_SPECIALIST_EMAIL, is_demo=True
        ).first()
        if specialist is None:
            return
        started = write_demo_conversations(specialist, now=now)
        self.stdout.write(
            f"{started} demo conversations started with {specialist.display_name}."
        )

    def fill_review_queue(self, topics, approaches, languages):
        """Puts the REVIEW_DEMOS in the review queue, creating them the first
        time. Those already waiting are left alone (a rerun changes nothing);
        those staff approved or sent back are queued again."""
        queued = 0
        for number, demo in enumerate(REVIEW_DEMOS, start=len(DEMOS) + 1):
            email = demo_email(number)
            user = User.objects.filter(email=email).first()
            if user and hasattr(user, "specialist"):
                specialist = user.specialist
                if not specialist.is_demo:
                    self.stderr.write(f"Skipped {email}: it has a real profile.")
                    continue
                if specialist.status == Specialist.Status.PENDING:
                    continue
            else:
                if user is None:
                    user = User.objects.create_user(
                        email, password=None, name=demo.name
                    )
                specialist = self.create_specialist(user, demo, number)
                specialist.topics.set([topics[name] for name in demo.topics])
                specialist.approaches.set(
                    [approaches[name] for name in demo.approaches]
                )
                specialist.languages.set([languages[code] for code in demo.languages])
            now = timezone.now()
            specialist.headline = demo.headline
            specialist.bio = self.demo_bio(demo)
            if demo is REVIEW_DEMOS[0]:  # new: never approved, waiting two days
                specialist.approved_snapshot = {}
                specialist.reviewed_at = None
                specialist.submit_for_review()
                specialist.submitted_at = now - timedelta(days=2)
            else:  # approved as created, then edited
                specialist_services.approve(specialist=specialist)
                specialist.headline = EDITED_HEADLINE
                specialist.bio += EDITED_BIO.format(name=demo.name)
                specialist.submit_for_review()
            specialist.save()
            queued += 1
            self.stdout.write(f"Queued {specialist.display_name} ({email}) for review")
        self.stdout.write(
            f"{queued} demo profiles put in the review queue, "
            f"{len(REVIEW_DEMOS) - queued} already there."
        )

    def demo_bio(self, demo):
        return BIO.format(
            name=demo.name,
            headline_lower=demo.headline.lower(),
            topics_lower=" and ".join(t.lower() for t in demo.topics),
            approaches=" and ".join(demo.approaches),
        )

    def create_specialist(self, user, demo, number):
        now = timezone.now()
        specialist = Specialist(
            user=user,
            slug=free_slug(demo.name),
            display_name=demo.name,
            headline=demo.headline,
            bio=self.demo_bio(demo),
            offers_video="video" in demo.formats,
            offers_phone="phone" in demo.formats,
            offers_in_person="in_person" in demo.formats,
            **meeting_details(demo, number),
            city=demo.city,
            country=demo.country,
            time_zone=demo.time_zone,
            years_of_practice=3 + number,
            qualifications="None: this is a demo profile.",
            is_verified=demo.verified,
            fee_amount=Decimal(demo.fee[0]) if demo.fee else None,
            fee_currency=demo.fee[1] if demo.fee else "",
            offers_free_consultation=demo.free,
            status=Specialist.Status.APPROVED,
            submitted_at=now,
            reviewed_at=now,
            is_demo=True,
        )
        initials = "".join(word[0] for word in demo.name.split()[:2]).upper()
        colour = PALETTE[number % len(PALETTE)]
        specialist.photo.save(
            f"demo-{number}.jpg",
            ContentFile(initials_photo(initials, colour)),
            save=False,
        )
        specialist.save()
        return specialist

    def remove(self, *, dry_run):
        users = User.objects.filter(
            Q(email__in=demo_emails(), specialist__is_demo=True)
            | Q(email=DEMO_STAFF_EMAIL, is_superuser=False)
        )
        specialists = list(Specialist.objects.filter(user__in=users))
        verb = "Would delete" if dry_run else "Deleted"
        for specialist in specialists:
            self.stdout.write(f"{verb} {specialist.display_name} ({specialist.user})")
        if dry_run:
            return
        # The photos and their thumbnails go once the rows are gone
        # (specialists/signals.py).
        with transaction.atomic():
            remove_demo_conversations()
            users.delete()
        self.stdout.write(f"{len(specialists)} demo specialists removed.")
