"""The one rate limiter: sliding windows in the shared cache, hashed keys."""

from django.conf import settings
from django.db import connection

from core.ratelimit import RateLimit, RateLimited


def cache_rows():
    table = connection.ops.quote_name(settings.CACHES["default"]["LOCATION"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key, value FROM {table}")  # noqa: S608
        return cursor.fetchall()


def test_allows_the_limit_then_says_how_long_to_wait(db):
    limit = RateLimit("test", limit=3, window=600)

    allowed = [limit.hit("someone") for _ in range(3)]
    refused = limit.hit("someone")

    assert allowed == [0, 0, 0]
    assert 590 <= refused <= 600


def test_each_key_and_each_limit_counts_on_its_own(db):
    limit = RateLimit("test", limit=1, window=600)
    other_limit = RateLimit("other", limit=1, window=600)
    limit.hit("a")

    assert limit.hit("b") == 0
    assert other_limit.hit("a") == 0
    assert limit.hit("a") > 0


def test_the_count_lives_in_the_shared_cache_not_in_the_process(db):
    assert settings.CACHES["default"]["BACKEND"] in {
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    }
    RateLimit("test", limit=2, window=600).hit("a")
    RateLimit("test", limit=2, window=600).hit("a")

    # A fresh object, as in another worker or after a restart: still counted.
    assert RateLimit("test", limit=2, window=600).hit("a") > 0


def test_the_window_slides_one_attempt_at_a_time(db, clock):
    limit = RateLimit("test", limit=2, window=600)
    limit.hit("a")
    clock.advance(seconds=300)
    limit.hit("a")

    assert 290 <= limit.hit("a") <= 300
    clock.advance(seconds=301)
    assert limit.hit("a") == 0
    assert limit.hit("a") > 0


def test_the_cache_never_holds_the_key_in_clear(db):
    RateLimit("book-email", limit=5, window=3600).hit("sam@example.org")

    rows = cache_rows()
    assert rows
    assert not any("sam" in key or "example" in key for key, _value in rows)
    assert not any("sam" in str(value) for _key, value in rows)


def test_check_raises_with_the_message_and_the_wait(db):
    limit = RateLimit("test", limit=1, window=60, message="Only %(limit)d a minute.")
    limit.check("a")

    try:
        limit.check("a")
    except RateLimited as error:
        assert error.message == "Only 1 a minute."
        assert 0 < error.retry_after <= 60
    else:
        raise AssertionError("the second attempt was not refused")
