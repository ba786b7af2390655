"""The throwaway servers that multi-process tests and benchmarks share."""

import os
import socket

import psycopg
import pytest
import redis

from bench import services


def require(*packages):
    absent = services.missing(*packages)
    if absent and os.environ.get("REQUIRE_SERVICES"):
        pytest.fail(f"not installed: {', '.join(absent)}")
    if absent:
        pytest.skip(f"not installed: {', '.join(absent)} (apt-get install them)")


def port_of(url):
    return int(url.rsplit(":", 1)[1].split("/")[0])


def test_postgres_server_answers_then_is_gone():
    require("postgresql")
    with services.postgres_server() as url:
        with psycopg.connect(url) as connection:
            assert connection.execute("SELECT 1 + 1").fetchone() == (2,)
        port = port_of(url)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1)


def test_redis_server_answers_then_is_gone():
    require("redis-server")
    with services.redis_server() as url:
        client = redis.Redis.from_url(url)
        client.set("key", "value")
        assert client.get("key") == b"value"
        client.close()
        port = port_of(url)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1)
