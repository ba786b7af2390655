"""DATABASE_POOL=true on a real PostgreSQL, with the cache on a real Redis
(bench/services.py): a request's connection goes back to the pool for the
next requests, and /healthz answers through both."""

import json
import subprocess
import sys

from bench.prodsite import PROJECT_ROOT, production_env
from bench.services import postgres_server, redis_server
from tests.deploy.test_services import require

TWO_REQUESTS = """
import json
import django
django.setup()
from django.db import connection
from django.test import Client

backends, answers = set(), set()
for _ in range(10):
    response = Client().get("/healthz", headers={"host": "127.0.0.1"})
    answers.add((response.status_code, response.content.decode()))
    # What the request used, asked after it ended.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backends.add(cursor.fetchone()[0])
    connection.close()
print(json.dumps({
    "answers": sorted(answers),
    "backends": len(backends),
    "pool": type(connection.pool).__name__,
}))
"""


def test_pooled_connections_are_reused_across_requests_and_healthz_answers(tmp_path):
    require("postgresql", "redis-server")
    with postgres_server() as database_url, redis_server() as redis_url:
        env = production_env(
            tmp_path,
            database_url=database_url,
            DATABASE_POOL="true",
            DATABASE_POOL_MAX_SIZE="2",
            REDIS_URL=redis_url,
        )
        result = subprocess.run(
            [sys.executable, "-c", TWO_REQUESTS],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["pool"] == "ConnectionPool"
    assert found["answers"] == [[200, "ok\n"]]
    # CONN_MAX_AGE is 0 with the pool: without the pool, every request and
    # every query after it would start a PostgreSQL backend of its own.
    assert found["backends"] <= 2
