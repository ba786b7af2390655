"""Small factories: keyword defaults and a counter for unique values."""

import itertools

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from articles.models import Article, Reference

_counter = itertools.count(1)


def make_user(**overrides):
    n = next(_counter)
    fields = {"email": f"user{n}@example.com", "password": "a-long-test-password"}
    fields.update(overrides)
    return User.objects.create_user(**fields)


def make_verified_user(**overrides):
    user = make_user(**overrides)
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


def make_staff(**overrides):
    return make_user(is_staff=True, **overrides)


def make_article(**overrides):
    n = next(_counter)
    fields = {
        "title": f"Article {n}",
        "slug": f"article-{n}",
        "summary": f"Summary of article {n}.",
        "body": f"Opening paragraph {n}.\n\n## First section\n\nSection text.\n",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - timezone.timedelta(days=1),
    }
    fields.update(overrides)
    return Article.objects.create(**fields)


def make_reference(article, **overrides):
    n = next(_counter)
    fields = {
        "position": n,
        "authors": f"Author, A. {n}.",
        "year": 2000,
        "title": f"Reference title {n}",
        "source": "Journal of Examples",
        "annotation": f"Why reference {n} matters.",
    }
    fields.update(overrides)
    return Reference.objects.create(article=article, **fields)


def make_specialist(**overrides):
    from specialists.models import Specialist

    n = next(_counter)
    fields = {
        "user": overrides.pop("user", None) or make_user(),
        "slug": f"specialist-{n}",
        "display_name": f"Specialist {n}",
        "headline": "Clinical psychologist",
        "status": Specialist.Status.APPROVED,
        "time_zone": "Europe/Berlin",
        "offers_free_consultation": True,
    }
    fields.update(overrides)
    return Specialist.objects.create(**fields)


def make_bookable_specialist(windows=None, **overrides):
    """An approved specialist offering free consultations on weekdays 09:00–17:00
    (their local time) unless other `windows` [(weekday, "HH:MM", "HH:MM")] are given."""
    from consultations.models import Availability, WeeklyWindow
    from consultations.services import refresh_free_slots

    specialist = make_specialist(**overrides)
    availability = Availability.objects.create(specialist=specialist)
    for weekday, start, end in windows or [(d, "09:00", "17:00") for d in range(5)]:
        WeeklyWindow.objects.create(
            availability=availability, weekday=weekday, start=start, end=end
        )
    refresh_free_slots(specialist)
    return specialist
