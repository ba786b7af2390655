import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache.backends import base as cache_base
from django.core.cache.backends import db as db_cache
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from core import pagecache
from helplines import country as helplines_country


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database also gets the database cache's table (rate limits)."""
    with django_db_blocker.unblock():
        call_command("createcachetable")


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_page_cache():
    pagecache.clear()
    # Help now's list of country codes: each test has its own countries.
    helplines_country.forget_codes()


@pytest.fixture
def seed_article(db):
    """The essay shipped in articles/content/, loaded as `make run` loads it."""
    call_command("load_content", stdout=io.StringIO())
    return Article.objects.get(slug="complex-roots-of-harassment")


@pytest.fixture
def clock(monkeypatch):
    """Moves time forward for the rate limits and the database cache they live
    in: `clock.advance(hours=25)`."""
    real_now = timezone.now

    class Clock:
        offset = timedelta()

        def now(self):
            return real_now() + self.offset

        def advance(self, **delta):
            self.offset += timedelta(**delta)

    moved = Clock()
    monkeypatch.setattr(timezone, "now", moved.now)
    # The database cache reads the clock twice: expiry dates are computed
    # from time.time(), and compared with timezone.now().
    monkeypatch.setattr(db_cache, "tz_now", moved.now)
    monkeypatch.setattr(
        cache_base, "time", SimpleNamespace(time=lambda: moved.now().timestamp())
    )
    return moved
