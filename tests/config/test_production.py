"""The site with DEBUG off, as a deployment runs it: settings that refuse to load
half-configured, a clean `check --deploy`, and gunicorn + whitenoise serving the
article and the hashed, compressed static files.

Every check runs in a subprocess with an environment built from scratch (the
test process itself runs with DJANGO_DEBUG=true, from pyproject.toml). The site
prepared for gunicorn uses a SQLite file in a temporary directory, also when
the suite runs against PostgreSQL: see bench/prodsite.py.
"""

import gzip
import re
import subprocess
import sys

import pytest

from bench.prodsite import (
    ARTICLE_PATH,
    ARTICLE_TITLE,
    PROJECT_ROOT,
    clean_env,
    fetch,
    gunicorn_server,
    manage,
    production_env,
)

ONE_YEAR = 365 * 24 * 60 * 60


def load_settings(env):
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        pytest.param(
            {"DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "example.org"},
            "ImproperlyConfigured: Set DJANGO_SECRET_KEY",
            id="no-secret-key",
        ),
        pytest.param(
            {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "x" * 60},
            "ImproperlyConfigured: Set DJANGO_ALLOWED_HOSTS",
            id="no-allowed-hosts",
        ),
        pytest.param(
            {"DJANGO_ALLOWED_HOSTS": "example.org"},
            "ImproperlyConfigured: Set DJANGO_SECRET_KEY",
            id="debug-unset-means-off",
        ),
    ],
)
def test_settings_refuse_to_load_with_debug_off_and_a_required_variable_missing(
    variables, message
):
    result = load_settings(clean_env(**variables))

    assert result.returncode != 0
    assert message in result.stderr


def test_settings_load_with_debug_off_once_secret_key_and_allowed_hosts_are_set(
    tmp_path,
):
    result = load_settings(production_env(tmp_path))

    assert result.returncode == 0, result.stderr


def test_deploy_check_finds_no_issues_with_production_settings(tmp_path):
    # The production defaults as they are: HTTPS redirect and HSTS on.
    env = production_env(tmp_path, DJANGO_SECURE_SSL_REDIRECT=None)

    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


@pytest.fixture(scope="module")
def server(site):
    with gunicorn_server(site, workers=2) as base_url:
        yield base_url


def test_gunicorn_serves_the_article_with_debug_off(server):
    response = fetch(server, ARTICLE_PATH)

    assert response.status == 200
    assert response.headers.get_content_type() == "text/html"
    assert ARTICLE_TITLE in response.body.decode()


def test_article_page_links_the_hashed_static_files(site, server):
    html = fetch(server, ARTICLE_PATH).body.decode()

    for name in ("css/site.css", "js/site.js", "favicon.ico"):
        assert f'"{site.static_url(name)}"' in html
    assert re.search(r"/static/css/site\.[0-9a-f]{12}\.css", html)


def test_whitenoise_serves_hashed_static_file_cached_for_a_long_time(site, server):
    url = site.static_url("css/site.css")

    response = fetch(server, url)

    assert response.status == 200
    assert response.headers.get_content_type() == "text/css"
    assert response.headers.get("Content-Encoding") is None
    assert (
        response.body == (site.static_root / url.removeprefix("/static/")).read_bytes()
    )
    max_age = re.search(r"max-age=(\d+)", response.headers["Cache-Control"])
    assert max_age and int(max_age[1]) >= ONE_YEAR
    assert "immutable" in response.headers["Cache-Control"]


def test_whitenoise_serves_compressed_variant_when_client_accepts_gzip(site, server):
    url = site.static_url("css/site.css")
    plain = fetch(server, url).body

    response = fetch(server, url, {"Accept-Encoding": "gzip"})

    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert len(response.body) < len(plain)
    assert gzip.decompress(response.body) == plain


def test_gunicorn_server_stops_when_its_block_ends(site):
    with gunicorn_server(site, workers=1) as base_url:
        assert fetch(base_url, "/robots.txt").status == 200

    with pytest.raises(ConnectionRefusedError):
        fetch(base_url, "/robots.txt", timeout=2)
