import io

import pytest
from django.core.management import call_command

from articles import pagecache
from articles.models import Article


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


@pytest.fixture
def seed_article(db):
    """The essay shipped in articles/content/, loaded as `make run` loads it."""
    call_command("load_content", stdout=io.StringIO())
    return Article.objects.get(slug="complex-roots-of-harassment")
