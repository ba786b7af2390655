"""The production settings, plus one route that fails: how else to see, from
outside, the page and headers a real server error sends. Used only by
test_production_headers.py, as DJANGO_SETTINGS_MODULE of a gunicorn it starts."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.config.failing_route_urls"
