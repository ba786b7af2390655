"""/healthz tells a load balancer whether this app server can serve pages: the
database and the cache both answer (200 "ok"), or not (503), leaving nothing
behind. The checks under production settings (plain HTTP while the rest of
the site redirects to HTTPS, a database that cannot be opened) are in
test_gunicorn_config.py."""

import logging
import socket

import pytest


def test_healthz_says_ok_when_the_database_and_the_cache_answer(
    client, db, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_healthz_sets_no_cookie_and_is_never_stored(client, db):
    response = client.get("/healthz")

    assert response.cookies == {}
    assert "no-store" in response["Cache-Control"]


def test_healthz_only_answers_get_and_head(client, db):
    assert client.head("/healthz").status_code == 200
    assert client.put("/healthz").status_code == 405


@pytest.fixture
def closed_port():
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_healthz_is_503_when_the_cache_does_not_answer(
    client, db, settings, closed_port, caplog
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
        }
    }

    with caplog.at_level(logging.INFO):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.content == b"unavailable\n"
    assert "no-store" in response["Cache-Control"]
    # One line, saying why; no "Service Unavailable" error for the managers'
    # mailbox on every poll of an outage.
    assert [(r.name, r.getMessage()) for r in caplog.records] == [
        (
            "config.health",
            "Health check: the cache does not answer: ConnectionError: "
            f"Error 111 connecting to 127.0.0.1:{closed_port}. Connection refused.",
        )
    ]
