import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from markdownx.models import MarkdownxField

from core.markdown import BIO_MAX_LENGTH, render_markdown, validate_markdown
from core.models import Topic
from core.timezones import validate_time_zone

from . import search

CURRENCIES = ["AUD", "CAD", "CHF", "CZK", "DKK", "EUR", "GBP", "INR", "NOK", "PLN", "SEK", "USD"]  # fmt: skip


validate_https_url = URLValidator(
    schemes=["https"],
    message=_("Enter a full link that starts with https://."),
    code="https_only",  # not "invalid": the field would put its own message
)


def validate_phone_number(value):
    """Digits, spaces and + - ( ) / only, with 6 to 20 digits: a number a
    person can dial, not a note (notes belong elsewhere)."""
    digits = re.sub(r"\D", "", value)
    if (
        not re.fullmatch(r"\+?[0-9 ()/.-]+", value.strip())
        or not 6 <= len(digits) <= 20
    ):
        raise ValidationError(
            _("Enter a phone number with digits only, for example +49 30 1234567."),
            code="phone_number",
        )


class Approach(models.Model):
    """A therapeutic approach: CBT, psychodynamic, EMDR, …"""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("approach")
        verbose_name_plural = _("approaches")

    def __str__(self):
        return self.name


class Language(models.Model):
    code = models.CharField(
        _("code"), max_length=12, unique=True, help_text="en, de, …"
    )
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self):
        return self.name


class SpecialistQuerySet(models.QuerySet):
    """Offering a free consultation means being bookable: the switch is on and
    at least one free slot is open now. "Now" is a parameter so that a page
    and its tests agree on one instant; the slots come from FreeSlot."""

    def owned_by(self, user):
        """The profile of this account (there is at most one)."""
        return self.filter(user=user)

    def matching_words(self, text):
        """Profiles where every word of `text` begins a word of any field the
        search covers, whatever the case or accents (specialists/search.py)."""
        return search.matching(self, text)

    def ranked_for(self, text):
        """Annotated with `search_rank` for `text` on PostgreSQL; as they are
        on SQLite, which has no rank."""
        return search.ranked(self, text)

    def refresh_search_text(self):
        """Rebuilds the search text of these profiles (after a topic, approach
        or language was renamed, or rows were bulk-created)."""
        specialists = list(
            self.only("pk", *self.model.SEARCHED_FIELDS).prefetch_related(
                "topics", "approaches", "languages"
            )
        )
        for specialist in specialists:
            specialist.search_text = specialist.build_search_text()
        self.model.objects.bulk_update(specialists, ["search_text"], batch_size=500)

    def approved(self):
        return self.filter(status=Specialist.Status.APPROVED)

    def bookable(self, now=None):
        """Approved specialists a visitor can book a free consultation with now."""
        offered = FreeSlot.objects.offered(now).filter(specialist=models.OuterRef("pk"))
        return self.approved().filter(
            models.Exists(offered), offers_free_consultation=True
        )

    def with_next_free(self, now=None):
        """Annotates `next_free`: the first free slot's start (UTC), or None
        when the specialist cannot be booked now (no slot, or switched off)."""
        if "next_free" in self.query.annotations:
            return self  # already annotated, for the instant the caller chose
        first = (
            FreeSlot.objects.offered(now)
            .filter(specialist=models.OuterRef("pk"))
            # One specialist's rows share one notice, so this is the order of
            # `start`, and the index delivers it: the first row is the answer.
            .order_by("bookable_until")
            .values("start")[:1]
        )
        return self.annotate(
            next_free=models.Case(
                models.When(offers_free_consultation=True, then=models.Subquery(first)),
                default=None,
                output_field=models.DateTimeField(),
            )
        )

    def featured_first(self, now=None):
        """Bookable specialists first, then by name; the best matches of a
        text search first when ranked_for() ranked them."""
        unbookable = models.ExpressionWrapper(
            models.Q(next_free__isnull=True), output_field=models.BooleanField()
        )
        order = [unbookable, "display_name", "pk"]
        if "search_rank" in self.query.annotations:
            order.insert(0, models.F("search_rank").desc())
        return self.with_next_free(now).order_by(*order)

    def soonest_first(self, now=None):
        """The specialist with the earliest free slot first; the unbookable last."""
        return self.with_next_free(now).order_by(
            models.F("next_free").asc(nulls_last=True), "display_name", "pk"
        )

    def matching_topics(self, topic_ids, now=None):
        """Approved specialists who work on any of these topics, featured first."""
        matching = self.approved().filter(topics__in=topic_ids).values("pk")
        return self.filter(pk__in=matching).featured_first(now)

    def featured(self, now=None):
        """Specialists bookable now, most recently approved first."""
        now = now or timezone.now()
        return (
            self.bookable(now)
            .with_next_free(now)
            .order_by(models.F("reviewed_at").desc(nulls_last=True), "pk")
        )


class Specialist(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Waiting for review")
        CHANGES_REQUESTED = "changes", _("Changes requested")
        APPROVED = "approved", _("Approved")

    class PhoneDirection(models.TextChoices):
        SPECIALIST_CALLS = (
            "specialist_calls",
            _("I will call you on the number you give"),
        )
        VISITOR_CALLS = "visitor_calls", _("You call me on my number")

    # Changing any of these on an approved profile sends it back to review:
    # they are what a visitor trusts (who, what, qualified how).
    REVIEWED_FIELDS = (
        "display_name",
        "headline",
        "photo",
        "bio",
        "qualifications",
        "registration_number",
    )
    # What the directory's text search covers, besides the names of the
    # profile's topics, approaches and languages.
    SEARCHED_FIELDS = ("display_name", "headline", "bio", "city", "country")
    # What approve() records besides the reviewed fields: what the directory
    # shows next to them, so staff see every change to who-does-what.
    SNAPSHOT_RELATED = ("topics", "approaches", "languages")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="specialist"
    )
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    display_name = models.CharField(_("display name"), max_length=100)
    headline = models.CharField(
        _("headline"), max_length=120, help_text=_("For example: Clinical psychologist")
    )
    photo = models.ImageField(_("photo"), upload_to="specialists/", blank=True)
    bio = MarkdownxField(
        _("about you"),
        max_length=BIO_MAX_LENGTH,
        blank=True,
        validators=[validate_markdown],
    )
    bio_html = models.TextField(editable=False, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="specialists")
    approaches = models.ManyToManyField(
        Approach, blank=True, related_name="specialists"
    )
    languages = models.ManyToManyField(Language, blank=True, related_name="specialists")
    offers_video = models.BooleanField(_("video"), default=True)
    offers_phone = models.BooleanField(_("phone"), default=False)
    offers_in_person = models.BooleanField(_("in person"), default=False)

    # How a booked consultation happens, per format. Given to the booked
    # visitor only (confirmation page, emails, calendar file): never on the
    # profile, in the directory or in the structured data.
    video_link = models.URLField(
        _("video meeting link"),
        max_length=300,
        blank=True,
        validators=[validate_https_url],
        help_text=_(
            "An https:// link to your video room. Only booked visitors get it."
        ),
    )
    phone_direction = models.CharField(
        _("who calls whom"), max_length=20, choices=PhoneDirection.choices, blank=True
    )
    phone_number = models.CharField(
        _("your phone number"),
        max_length=40,
        blank=True,
        validators=[validate_phone_number],
        help_text=_("Only if visitors call you. Only booked visitors get it."),
    )
    address = models.TextField(
        _("address for meetings in person"),
        max_length=300,
        blank=True,
        help_text=_("Only booked visitors get it; your profile shows the city."),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        default="UTC",
    )
    years_of_practice = models.PositiveSmallIntegerField(
        _("years of practice"), null=True, blank=True
    )
    qualifications = models.TextField(_("qualifications"), max_length=2000, blank=True)
    registration_number = models.CharField(
        _("professional registration number"),
        max_length=100,
        blank=True,
        help_text=_("Only staff see it, to verify your registration."),
    )
    is_verified = models.BooleanField(
        _("registration verified"),
        default=False,
        help_text=_("Staff checked the registration number with the register."),
    )
    fee_amount = models.DecimalField(
        _("fee for a regular session"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
    )
    fee_currency = models.CharField(
        _("currency"), max_length=3, choices=[(c, c) for c in CURRENCIES], blank=True
    )
    offers_free_consultation = models.BooleanField(
        _("offers a free 30-minute consultation"), default=True
    )
    accepting_new_clients = models.BooleanField(
        _("accepting new clients"), default=True
    )

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    review_note = models.TextField(_("what to change"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    # The profile as staff last approved it (review_snapshot()), so that a
    # re-submitted profile shows what changed since. Empty: never approved.
    approved_snapshot = models.JSONField(
        _("as last approved"), default=dict, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    is_demo = models.BooleanField(_("demo profile"), default=False, editable=False)
    # Emails the specialist may turn off. Those about their own bookings
    # (booked, moved, cancelled, reminded) always go: a missed one is a
    # visitor left waiting.
    email_review_updates = models.BooleanField(
        _("email me about the review of my profile"), default=True
    )
    email_new_messages = models.BooleanField(
        _("email me when a message waits"), default=True
    )
    # The directory's text search looks only here (SEARCHED_FIELDS and the
    # related names, as search.search_words()). Kept up to date by save() and
    # by signals.py. On PostgreSQL a stored column `search_vector` (migration
    # 0010, unknown to Django) follows it.
    search_text = models.TextField(blank=True, editable=False)

    objects = SpecialistQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("specialist")
        verbose_name_plural = _("specialists")
        indexes = [
            # The directory: approved profiles, featured first, by name.
            models.Index(
                fields=["status", "-offers_free_consultation", "display_name"],
                name="specialist_directory_idx",
            ),
            # The directory's specialists who cannot be booked now, by name
            # (specialists.directory.DirectoryResults), and page 50 of them.
            models.Index(
                fields=["status", "display_name", "id"], name="specialist_by_name_idx"
            ),
            # The directory's country filter.
            models.Index(
                fields=["status", "country", "display_name"],
                name="specialist_country_idx",
            ),
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.bio_html = render_markdown(self.bio)
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self.search_text = self.build_search_text()
        elif set(update_fields) & set(self.SEARCHED_FIELDS):
            self.search_text = self.build_search_text()
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("specialists:detail", kwargs={"slug": self.slug})

    def build_search_text(self):
        """Everything a visitor may type to find this profile, folded. Uses
        prefetched topics, approaches and languages when there are any."""
        with translation.override("en"):
            country = str(self.country.name) if self.country else ""
        parts = [self.display_name, self.headline, self.bio, self.city, country]
        if self.pk:
            for related in (self.topics, self.approaches, self.languages):
                parts.extend(item.name for item in related.all())
        return " ".join(search.search_words(" ".join(parts)))

    @property
    def is_public(self):
        return self.status == self.Status.APPROVED

    @property
    def formats(self):
        labels = [
            (self.offers_video, _("Video")),
            (self.offers_phone, _("Phone")),
            (self.offers_in_person, _("In person")),
        ]
        return [label for offered, label in labels if offered]

    def meeting_formats(self):
        """The formats a visitor can book: offered, with what they need to
        meet ("video", "phone", "in_person", the booking's format values)."""
        formats = []
        if self.offers_video and self.video_link:
            formats.append("video")
        if (
            self.offers_phone
            and self.phone_direction
            and (
                self.phone_direction == self.PhoneDirection.SPECIALIST_CALLS
                or self.phone_number
            )
        ):
            formats.append("phone")
        if self.offers_in_person and self.address and self.city:
            formats.append("in_person")
        return formats

    @property
    def visitor_gives_phone(self):
        return "phone" in self.meeting_formats() and (
            self.phone_direction == self.PhoneDirection.SPECIALIST_CALLS
        )

    def how_it_works(self):
        """Before booking: how each bookable format happens, without any of
        the details only a booked visitor gets."""
        texts = {
            "video": _("By video: you get a meeting link after booking."),
            "phone": _("By phone: the specialist calls you at the booked time.")
            if self.phone_direction == self.PhoneDirection.SPECIALIST_CALLS
            else _(
                "By phone: you call the specialist at the booked time; the number "
                "is in your confirmation."
            ),
            "in_person": _(
                "In person in %(city)s: the address is in your confirmation."
            )
            % {"city": self.city},
        }
        return [texts[f] for f in self.meeting_formats()]

    @property
    def initials(self):
        return "".join(word[0] for word in self.display_name.split()[:2]).upper()

    @property
    def time_zone_city(self):
        """The place part of the zone, as people say it: "New York"."""
        return self.time_zone.rsplit("/", 1)[-1].replace("_", " ")

    def submit_for_review(self):
        self.status = self.Status.PENDING
        self.submitted_at = timezone.now()

    def review_snapshot(self):
        """The reviewed fields and related names, as plain JSON values."""
        snapshot = {name: getattr(self, name) for name in self.REVIEWED_FIELDS}
        snapshot["photo"] = self.photo.name or ""
        for name in self.SNAPSHOT_RELATED:
            snapshot[name] = sorted(item.name for item in getattr(self, name).all())
        return snapshot


class SpecialistReview(Specialist):
    """The review queue in the admin: the same rows, a list of its own.
    No permissions of its own either: reviewing is changing a Specialist."""

    class Meta:
        proxy = True
        verbose_name = _("profile to review")
        verbose_name_plural = _("profiles to review")
        default_permissions = ()


class FreeSlotQuerySet(models.QuerySet):
    def offered(self, now=None):
        """Slots a visitor can book at `now`: past the horizon's opening and
        not yet within the minimum notice."""
        now = now or timezone.now()
        return self.filter(visible_from__lte=now, bookable_until__gte=now)


class FreeSlot(models.Model):
    """A specialist's free consultation time, copied from the real slot
    computation (consultations.services.refresh_free_slots) so that one query
    can tell which of many specialists are bookable now, and when next.

    The copy is rewritten after every change to bookings or hours, and holds a
    week of times ahead: each row carries the window of instants in which it is
    offered, so the passing of time needs no rewrite until the daily refresh.
    """

    specialist = models.ForeignKey(
        Specialist, on_delete=models.CASCADE, related_name="free_slots"
    )
    start = models.DateTimeField(_("start"))
    # start - minimum notice: the last instant at which the slot can be booked.
    bookable_until = models.DateTimeField()
    # start - horizon: from this instant on the slot is open for booking.
    visible_from = models.DateTimeField()

    objects = FreeSlotQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        verbose_name = _("free slot")
        verbose_name_plural = _("free slots")
        indexes = [
            # SpecialistQuerySet.bookable() and with_next_free(): per specialist,
            # the first row with bookable_until >= now (then visible_from <= now).
            models.Index(
                fields=["specialist", "bookable_until"], name="freeslot_offered_idx"
            ),
        ]

    def __str__(self):
        return f"{self.specialist} {self.start:%Y-%m-%d %H:%M} UTC"
