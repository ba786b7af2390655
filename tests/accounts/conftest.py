import io

import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture
def empty_cache(db):
    """allauth's rate limits live in the default cache (its table in tests),
    which outlives each test's rollback."""
    call_command("createcachetable", stdout=io.StringIO())
    cache.clear()
    yield
    cache.clear()
