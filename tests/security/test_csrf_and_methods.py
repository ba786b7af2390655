"""Every route refuses a POST without a CSRF token (403, nothing changed) and
changes nothing on GET or HEAD, for every role.

The routes come from the URLconf. Those with a parameter in their address
need an entry in WITH_ARGUMENTS: a new one without fails
`test_every_route_with_arguments_has_an_address`.
"""

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session

from tests.security.routes import admin_urls, all_routes, build_world, route_key

ROLES = ("anonymous", "person", "specialist", "staff")

WITH_ARGUMENTS = {
    "articles:detail": lambda w: f"/articles/{w.draft.slug}/",
    "specialists:detail": lambda w: f"/specialists/{w.specialist.slug}/",
    "consultations:book": lambda w: f"/specialists/{w.specialist.slug}/book/",
    "messaging:start": lambda w: f"/specialists/{w.specialist.slug}/message/",
    "consultations:manage": lambda w: f"/consultations/manage/{w.booking_token}/",
    "consultations:manage_ics": (
        lambda w: f"/consultations/manage/{w.booking_token}/appointment.ics"
    ),
    "consultations:manage_cancel": (
        lambda w: f"/consultations/manage/{w.booking_token}/cancel/"
    ),
    "consultations:manage_reschedule": (
        lambda w: f"/consultations/manage/{w.booking_token}/reschedule/"
    ),
    "consultations:calendar_feed": (
        lambda w: f"/consultations/calendar-feed/{w.feed_token}.ics"
    ),
    "consultations:update": (
        lambda w: f"/specialists/me/consultations/{w.booking.pk}/"
    ),
    "messaging:conversation": lambda w: f"/messages/{w.conversation.pk}/",
    "messaging:block": lambda w: f"/messages/{w.conversation.pk}/block/",
    "messaging:report": lambda w: f"/messages/message/{w.reply.pk}/report/",
    "questions:detail": lambda w: f"/questions/{w.question.pk}/",
    "questions:answer": lambda w: f"/questions/{w.question.pk}/answer/",
    "questions:report_question": lambda w: f"/questions/{w.question.pk}/report/",
    "questions:helpful": lambda w: f"/questions/answers/{w.answer.pk}/helpful/",
    "questions:accept": lambda w: f"/questions/answers/{w.answer.pk}/accept/",
    "questions:report_answer": lambda w: f"/questions/answers/{w.answer.pk}/report/",
    "account_confirm_email": lambda w: "/accounts/confirm-email/wrong-key/",
    "account_reset_password_from_key": (
        lambda w: "/accounts/password/reset/key/1-wrong-key/"
    ),
    "^media/(?P<path>.*)$": lambda w: "/media/no-such-file.jpg",
}

# What a GET may change, and why that is no harm: marking what the reader has
# seen (the conversation's read time for the one reading it) and when a
# calendar app last fetched the feed. Neither is a change a forged request
# could use: SameSite cookies keep a cross-site GET anonymous.
CHANGED_BY_READING = {
    "messaging.conversation": {"user_read_at", "specialist_read_at"},
    "consultations.calendarfeed": {"last_fetched_at"},
}


def routes():
    """(key, address builder) for every route but the admin's."""
    found = {}
    for route in all_routes():
        key = route_key(route)
        if key == "admin:*" or key in found:
            continue
        if key in WITH_ARGUMENTS:
            found[key] = WITH_ARGUMENTS[key]
        elif "<" not in route.pattern and "(" not in route.pattern:
            found[key] = lambda w, path=route.pattern: "/" + path
    return found


def test_every_route_with_arguments_has_an_address():
    with_arguments = {
        route_key(route)
        for route in all_routes()
        if route_key(route) != "admin:*"
        and ("<" in route.pattern or "(" in route.pattern)
    }

    assert sorted(with_arguments - WITH_ARGUMENTS.keys()) == []
    assert sorted(WITH_ARGUMENTS.keys() - with_arguments) == []


def snapshot(ignore=CHANGED_BY_READING):
    """Every row of every model (sessions aside), field by field."""
    rows = {}
    for model in apps.get_models():
        if model is Session:
            continue
        label = model._meta.label_lower
        skipped = ignore.get(label, set())
        fields = [f.attname for f in model._meta.concrete_fields]
        rows[label] = sorted(
            (
                tuple(
                    (name, value) for name, value in row.items() if name not in skipped
                )
                for row in model._base_manager.values(*fields)
            ),
            key=repr,
        )
    return rows


def assert_unchanged(before, after, context):
    changed = [label for label in before if before[label] != after[label]]
    assert changed == [], context


@pytest.fixture
def world(db, settings, tmp_path):
    settings.ADMIN_REQUIRES_TWO_FACTOR = True
    settings.MEDIA_ROOT = tmp_path
    return build_world()


ROUTES = routes()


@pytest.mark.parametrize("key", sorted(ROUTES))
def test_a_post_without_csrf_token_is_refused_and_changes_nothing(world, key):
    url = ROUTES[key](world)
    # The check comes before any view, for a visitor as for a session; logged
    # in before the snapshot, as logging in writes last_login.
    clients = {
        role: world.client(role, enforce_csrf_checks=True)
        for role in ("anonymous", "person")
    }
    before = snapshot(ignore={})
    for role, client in clients.items():
        response = client.post(url, {"body": "x", "reason": "x", "name": "x"})

        assert response.status_code == 403, (role, url)
    assert_unchanged(before, snapshot(ignore={}), url)


@pytest.mark.parametrize("key", sorted(ROUTES))
def test_get_and_head_change_nothing(world, key):
    url = ROUTES[key](world)
    clients = {role: world.client(role) for role in ROLES}
    before = snapshot()
    for role, client in clients.items():
        for method in ("get", "head"):
            response = getattr(client, method)(url)

            assert response.status_code < 500, (role, method, url)
    assert_unchanged(before, snapshot(), url)


def test_admin_refuses_a_post_without_csrf_token_and_changes_nothing(world):
    client = world.client("staff", enforce_csrf_checks=True)
    before = snapshot(ignore={})
    for url in admin_urls():
        assert client.post(url, {"name": "x"}).status_code == 403, url
    assert_unchanged(before, snapshot(ignore={}), "admin")


def test_admin_get_and_head_change_nothing(world):
    client = world.client("staff")
    before = snapshot()
    for url in admin_urls():
        for method in ("get", "head"):
            response = getattr(client, method)(url)

            assert response.status_code < 500, (method, url)
    assert_unchanged(before, snapshot(), "admin")
