"""Which country's lines a reader sees: their choice, kept in a cookie; else the
region of their browser's language (Accept-Language: en-GB, pt-BR); else none,
and the page offers a country picker and the international list.

No IP address is looked up and no other host is asked: a reader who does not
want a country to be guessed sees only what they choose.

The codes of the countries we have are read once a minute per process (and at
once in this process when a country is added or removed): the article page
cache asks for them on every request, before it decides whether to render.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Country

CODES_MAX_AGE = 60  # seconds
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
# Browsers cap the header themselves; this keeps a crafted one cheap to parse.
MAX_HEADER = 500

_codes = {"read_at": None, "codes": frozenset()}


@dataclass(frozen=True)
class Choice:
    code: str  # "" when the country is not known
    how: str  # "choice", "language" or ""


def cookie_name():
    # The __Host- prefix needs Secure, which production settings turn on.
    prefix = "__Host-" if settings.SESSION_COOKIE_NAME.startswith("__Host-") else ""
    return f"{prefix}helpnow_country"


def set_cookie(response, code):
    response.set_cookie(
        cookie_name(),
        code,
        max_age=COOKIE_MAX_AGE,
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def delete_cookie(response):
    response.delete_cookie(cookie_name(), path="/", samesite="Lax")


def available_codes():
    read_at = _codes["read_at"]
    if read_at is None or time.monotonic() - read_at > CODES_MAX_AGE:
        _codes["codes"] = frozenset(Country.objects.values_list("code", flat=True))
        _codes["read_at"] = time.monotonic()
    return _codes["codes"]


@receiver([post_save, post_delete], sender=Country)
def forget_codes(**kwargs):
    _codes["read_at"] = None


def language_regions(header):
    """The region subtags of an Accept-Language header, most preferred first:
    'de-AT,de;q=0.9,en-GB;q=0.8' -> ['AT', 'GB']."""
    weighted = []
    for position, part in enumerate(header[:MAX_HEADER].split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                continue
        if quality <= 0:
            continue
        # language[-script][-region]: the region is the first two-letter
        # subtag after the language (a script has four letters, es-419 digits).
        for subtag in tag.split("-")[1:]:
            if len(subtag) == 2 and subtag.isalpha():
                weighted.append((-quality, position, subtag.upper()))
                break
    return [region for _, _, region in sorted(weighted)]


def choose(request, codes=None):
    """The reader's country among `codes` (default: the countries we have)."""
    codes = available_codes() if codes is None else codes
    chosen = request.COOKIES.get(cookie_name(), "")
    if chosen in codes:
        return Choice(chosen, "choice")
    for region in language_regions(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if region in codes:
            return Choice(region, "language")
    return Choice("", "")
