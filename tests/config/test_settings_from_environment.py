"""Settings read from the environment, as a deployment sets them: secrets from
files (*_FILE), the database connection (reuse, health checks, pool), the
cache, email, hosts and trusted origins.

Settings are evaluated once, at import: each case loads them in a fresh
`python -c` with an environment built from scratch (bench/prodsite.py), and
prints the values it checks as JSON.
"""

import json
import subprocess
import sys

import pytest

from bench.prodsite import PROJECT_ROOT, production_env

PRINT_SETTINGS = """
import json, sys
import django
django.setup()
from django.conf import settings
names = sys.argv[1:]
print(json.dumps({name: getattr(settings, name) for name in names}, default=repr))
"""


def load(env, *names):
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS, *names],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_from(env, *names):
    result = load(env, *names)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def refusal(env):
    """The last line of the traceback of settings that refuse to load."""
    result = load(env, "DEBUG")
    assert result.returncode != 0
    return result.stderr.strip().splitlines()[-1]


def test_secret_key_is_read_stripped_from_the_file_secret_key_file_names(tmp_path):
    secret = "k" * 60
    (tmp_path / "secret_key").write_text(f"{secret}\n")
    env = production_env(
        tmp_path,
        DJANGO_SECRET_KEY=None,
        DJANGO_SECRET_KEY_FILE=str(tmp_path / "secret_key"),
    )

    assert settings_from(env, "SECRET_KEY") == {"SECRET_KEY": secret}


def test_settings_refuse_a_secret_key_set_both_directly_and_from_a_file(tmp_path):
    (tmp_path / "secret_key").write_text("f" * 60)
    env = production_env(tmp_path, DJANGO_SECRET_KEY_FILE=str(tmp_path / "secret_key"))

    assert refusal(env) == (
        "django.core.exceptions.ImproperlyConfigured: "
        "Set DJANGO_SECRET_KEY or DJANGO_SECRET_KEY_FILE, not both."
    )


def test_settings_refuse_a_secret_file_that_cannot_be_read(tmp_path):
    missing = tmp_path / "no-such-file"
    env = production_env(
        tmp_path, DJANGO_SECRET_KEY=None, DJANGO_SECRET_KEY_FILE=str(missing)
    )

    assert refusal(env) == (
        "django.core.exceptions.ImproperlyConfigured: DJANGO_SECRET_KEY_FILE: "
        f"cannot read '{missing}' (No such file or directory)."
    )


def test_a_refused_secret_file_is_not_quoted_in_the_error(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_bytes(b"\xff\xfe not text but a secret-ish value")
    env = production_env(
        tmp_path, DJANGO_SECRET_KEY=None, DJANGO_SECRET_KEY_FILE=str(secret)
    )

    result = load(env, "DEBUG")

    assert result.returncode != 0
    assert "not UTF-8 text" in result.stderr
    assert "secret-ish" not in result.stderr


def test_database_redis_and_email_secrets_are_read_from_files_too(tmp_path):
    files = {
        "DATABASE_URL": "postgres://site:db-pass@db.internal:5432/site",
        "REDIS_URL": "redis://:cache-pass@cache.internal:6379/0",
        "EMAIL_HOST_PASSWORD": "smtp-pass",
    }
    for name, value in files.items():
        (tmp_path / name).write_text(value + "\n")
    env = production_env(
        tmp_path,
        EMAIL_HOST="smtp.internal",
        **{f"{name}_FILE": str(tmp_path / name) for name in files},
    )

    found = settings_from(env, "DATABASES", "CACHES", "EMAIL_HOST_PASSWORD")

    database = found["DATABASES"]["default"]
    assert (database["HOST"], database["NAME"], database["PASSWORD"]) == (
        "db.internal",
        "site",
        "db-pass",
    )
    assert found["CACHES"]["default"]["LOCATION"] == files["REDIS_URL"]
    assert found["EMAIL_HOST_PASSWORD"] == "smtp-pass"


@pytest.mark.parametrize("name", ["DATABASE_URL", "REDIS_URL", "EMAIL_HOST_PASSWORD"])
def test_every_secret_refuses_being_set_both_ways(tmp_path, name):
    (tmp_path / "value").write_text("x")
    env = production_env(
        tmp_path,
        EMAIL_HOST="smtp.internal",
        **{name: "x", f"{name}_FILE": str(tmp_path / "value")},
    )

    assert refusal(env).endswith(f"Set {name} or {name}_FILE, not both.")


def test_database_connections_are_reused_and_checked_by_default(tmp_path):
    env = production_env(tmp_path, database_url="postgres://site@db.internal/site")

    database = settings_from(env, "DATABASES")["DATABASES"]["default"]

    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True
    assert "pool" not in database.get("OPTIONS", {})


def test_database_pool_replaces_persistent_connections_on_postgresql(tmp_path):
    env = production_env(
        tmp_path,
        database_url="postgres://site@db.internal/site",
        DATABASE_POOL="true",
        DATABASE_POOL_MAX_SIZE="8",
    )

    database = settings_from(env, "DATABASES")["DATABASES"]["default"]

    # Django refuses a pool with CONN_MAX_AGE other than 0.
    assert database["CONN_MAX_AGE"] == 0
    pool = database["OPTIONS"]["pool"]
    assert pool == {"min_size": 1, "max_size": 8}
    # Django then has the pool test each connection it hands out.
    assert database["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize(
    ("database_url", "message"),
    [
        pytest.param(None, "DATABASE_POOL=true needs DATABASE_URL", id="sqlite"),
        pytest.param(
            "mysql://site@db.internal/site",
            "DATABASE_POOL=true needs PostgreSQL",
            id="other-database",
        ),
    ],
)
def test_database_pool_is_refused_without_postgresql(tmp_path, database_url, message):
    env = production_env(tmp_path, database_url=database_url, DATABASE_POOL="true")

    assert message in refusal(env)


def test_csrf_trusted_origins_and_allowed_hosts_are_comma_separated_lists(tmp_path):
    env = production_env(
        tmp_path,
        DJANGO_ALLOWED_HOSTS="example.org, www.example.org",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://example.org, https://www.example.org",
    )

    assert settings_from(env, "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS") == {
        "ALLOWED_HOSTS": ["example.org", "www.example.org"],
        "CSRF_TRUSTED_ORIGINS": ["https://example.org", "https://www.example.org"],
    }


def test_csrf_trusted_origins_refuse_an_origin_without_its_scheme(tmp_path):
    env = production_env(tmp_path, DJANGO_CSRF_TRUSTED_ORIGINS="example.org")

    assert "such as https://example.org, got 'example.org'" in refusal(env)


def test_email_goes_through_the_smtp_server_the_environment_names(tmp_path):
    env = production_env(
        tmp_path,
        EMAIL_HOST="smtp.internal",
        EMAIL_PORT="2525",
        EMAIL_HOST_USER="site",
        EMAIL_USE_TLS="false",
    )

    assert settings_from(
        env, "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER"
    ) == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.internal",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "site",
    }
