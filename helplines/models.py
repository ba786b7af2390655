"""Emergency numbers and support lines, per country, that the "Help now" page
and the "If you are in danger now" block show.

Every line names the public page its number was read on (`source_url`) and the
day someone last compared it with that page (`last_checked`). A line whose
check is more than CHECK_VALID_FOR old is no longer shown to readers: a wrong
number in a crisis is worse than none. Admins find those lines under "Check
due" in the admin.
"""

import re
from datetime import timedelta
from urllib.parse import quote

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

CHECK_VALID_FOR = timedelta(days=365)

phone_number = RegexValidator(
    r"^\+?[0-9][0-9 ()-]*$",
    _("Digits only, with spaces, hyphens or brackets to group them."),
)


def check_cutoff(today=None):
    """A line checked before this day is due for a check and hidden."""
    return (today or timezone.localdate()) - CHECK_VALID_FOR


def dial_string(number):
    """'1-800-799-7233' -> '18007997233', for tel: and sms: links."""
    return re.sub(r"[^0-9+]", "", number)


class Country(models.Model):
    code = CountryField(_("country"), unique=True)
    emergency_number = models.CharField(
        _("emergency number"), max_length=20, validators=[phone_number]
    )
    ambulance_number = models.CharField(
        _("ambulance number"),
        max_length=20,
        blank=True,
        validators=[phone_number],
        help_text=_(
            "Only where the emergency number above does not also send an "
            "ambulance (Japan: 110 police, 119 ambulance)."
        ),
    )
    emergency_source_url = models.URLField(_("source of the numbers"), max_length=500)
    last_checked = models.DateField(_("last checked"))
    # What the loading command last wrote; see helplines/shipped.py.
    shipped_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return str(self.code.name)

    @property
    def name(self):
        return self.code.name

    @property
    def is_due_for_check(self):
        return self.last_checked < check_cutoff()

    def emergency_href(self):
        return f"tel:{dial_string(self.emergency_number)}"

    def ambulance_href(self):
        return f"tel:{dial_string(self.ambulance_number)}"


class LineQuerySet(models.QuerySet):
    def current(self, today=None):
        """What readers see: active lines checked within the last year."""
        return self.filter(is_active=True, last_checked__gte=check_cutoff(today))

    def due_for_check(self, today=None):
        return self.filter(last_checked__lt=check_cutoff(today))

    def international(self):
        return self.filter(country__isnull=True)


class Line(models.Model):
    class Kind(models.TextChoices):
        CRISIS = "crisis", _("Crisis and suicide prevention")
        DOMESTIC_ABUSE = "domestic_abuse", _("Domestic abuse")
        SEXUAL_VIOLENCE = "sexual_violence", _("Sexual violence and harassment")
        YOUNG_PEOPLE = "young_people", _("Young people")

    country = models.ForeignKey(
        Country,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="lines",
        verbose_name=_("country"),
        help_text=_("Empty: the line is on the international list."),
    )
    key = models.SlugField(
        _("key"),
        max_length=80,
        help_text=_("How the loading command recognises a shipped line."),
    )
    kind = models.CharField(_("what it is for"), max_length=20, choices=Kind)
    name = models.CharField(_("name"), max_length=120)
    purpose = models.CharField(_("who it helps"), max_length=300)
    phone = models.CharField(
        _("phone"), max_length=30, blank=True, validators=[phone_number]
    )
    sms = models.CharField(
        _("text (SMS) number"), max_length=30, blank=True, validators=[phone_number]
    )
    sms_body = models.CharField(
        _("word to text"),
        max_length=30,
        blank=True,
        help_text=_("For lines that ask for a keyword, such as HELP."),
    )
    chat_url = models.URLField(_("chat"), max_length=300, blank=True)
    website = models.URLField(_("the service's own site"), max_length=300, blank=True)
    hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    cost = models.CharField(_("cost"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    source_url = models.URLField(
        _("source"),
        max_length=500,
        help_text=_("The public page the number was read on."),
    )
    last_checked = models.DateField(
        _("last checked"),
        help_text=_("Lines not checked for a year are hidden from readers."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "Untick to stop showing a line. Deleting a shipped line does not "
            "work: the loading command adds it again."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    shipped_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = LineQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("support line")
        verbose_name_plural = _("support lines")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "key"], name="helplines_line_unique_key"
            ),
            # NULLs are distinct in a unique constraint: the international
            # list needs its own.
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(country__isnull=True),
                name="helplines_line_unique_international_key",
            ),
            models.CheckConstraint(
                condition=~Q(phone="", sms="", chat_url="", website=""),
                name="helplines_line_can_be_reached",
                violation_error_message=_(
                    "Give at least a phone or text number, a chat or a website."
                ),
            ),
        ]
        indexes = [
            # Line.objects.current().filter(country=...): every Help now page
            # and every "If you are in danger now" block.
            models.Index(
                fields=["country", "is_active", "last_checked"],
                name="helplines_line_current",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_due_for_check(self):
        return self.last_checked < check_cutoff()

    def phone_href(self):
        return f"tel:{dial_string(self.phone)}"

    def sms_href(self):
        href = f"sms:{dial_string(self.sms)}"
        if self.sms_body:
            href += f"?body={quote(self.sms_body)}"
        return href
