"""The production settings, plus one test-only app (hold_booking) that can hold
a booking open between its last write and its commit. Used only by
test_two_app_servers.py, as DJANGO_SETTINGS_MODULE of the gunicorns it starts:
production code carries no such hook."""

from config.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.deploy.hold_booking"]  # noqa: F405
