"""No secret from a URL path in any log record: manage links, email keys."""

import logging
import sys

import pytest
from django.core.cache import cache
from django.test import Client

from consultations import services
from core.logging import RedactSecretsFilter
from tests.factories import make_bookable_specialist

DJANGO_LOGGERS = ["django", "django.request", "django.security.csrf", "django.server"]


@pytest.fixture
def all_records(caplog):
    """Every record at every level, from the root and Django's loggers."""
    caplog.set_level(logging.DEBUG)
    for name in DJANGO_LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


@pytest.fixture
def booked(db):
    cache.clear()
    specialist = make_bookable_specialist()
    free = services.free_slots(specialist)
    booking, token = services.book_consultation(
        specialist=specialist,
        start=free[0],
        form_token="t1",
        manage_url=lambda token: f"http://testserver/consultations/manage/{token}/",
        name="Sam",
        email="sam@example.org",
        preferred_format="video",
    )
    services.book_consultation(
        specialist=specialist,
        start=free[1],
        form_token="t2",
        manage_url=lambda token: "http://testserver/x/",
        name="Alex",
        email="alex@example.org",
        preferred_format="video",
    )
    return token, free


def assert_nowhere(secret, records):
    for record in records:
        assert secret not in record.getMessage(), record.getMessage()
        args = record.args.values() if isinstance(record.args, dict) else record.args
        assert all(secret not in str(arg) for arg in args or ()), record.args
        assert secret not in (record.exc_text or "")
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            assert secret not in request.path
            assert secret not in str(request.META)


def test_no_manage_token_in_the_logs_of_a_409_a_403_and_a_404(
    client, all_records, booked
):
    token, free = booked

    conflict = client.post(
        f"/consultations/manage/{token}/reschedule/", {"slot": free[1].isoformat()}
    )
    forbidden = Client(enforce_csrf_checks=True).post(
        f"/consultations/manage/{token}/cancel/",
        {"reason": "", "csrfmiddlewaretoken": "x" * 64},
        secure=True,
        headers={"referer": f"https://elsewhere.example/consultations/manage/{token}/"},
    )
    not_found = client.get(f"/consultations/manage/{token}/no-such-page/")

    assert (conflict.status_code, forbidden.status_code, not_found.status_code) == (
        409,
        403,
        404,
    )
    messages = [record.getMessage() for record in all_records.records]
    # The records are there, with the path but not the token.
    assert "Conflict: /consultations/manage/[redacted]/reschedule/" in messages
    assert "Not Found: /consultations/manage/[redacted]/no-such-page/" in messages
    assert any(
        m.startswith("Forbidden (Referer checking failed") and "[redacted]" in m
        for m in messages
    )
    assert_nowhere(token, all_records.records)


def test_no_manage_token_in_the_development_servers_request_line():
    token = "Zt3q_secret-token"
    record = logging.LogRecord(
        "django.server",
        logging.WARNING,
        __file__,
        1,
        '"%s" %s %s',
        (f"POST /consultations/manage/{token}/cancel/ HTTP/1.1", "403", "2519"),
        None,
    )

    RedactSecretsFilter().filter(record)

    assert record.getMessage() == (
        '"POST /consultations/manage/[redacted]/cancel/ HTTP/1.1" 403 2519'
    )


def test_allauth_keys_and_exception_text_are_redacted():
    try:
        raise ValueError("bad key in /accounts/confirm-email/MjA:1v2:abc/")
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "django.request",
        logging.ERROR,
        __file__,
        1,
        "Internal Server Error: %s",
        ("/accounts/password/reset/key/3f-c4k9-d2e1f/",),
        exc_info,
    )

    RedactSecretsFilter().filter(record)

    assert record.getMessage() == (
        "Internal Server Error: /accounts/password/reset/key/[redacted]/"
    )
    assert "MjA:1v2:abc" not in record.exc_text
    assert "/accounts/confirm-email/[redacted]/" in record.exc_text


def test_a_secret_split_between_format_and_arguments_is_redacted():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "%s%s", ("/consultations/manage/", "tok"), None
    )

    RedactSecretsFilter().filter(record)

    assert record.getMessage() == "/consultations/manage/[redacted]"


def test_other_paths_are_left_alone():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/articles/how-to-manage-stress/",),
        None,
    )

    RedactSecretsFilter().filter(record)

    assert record.getMessage() == "Not Found: /articles/how-to-manage-stress/"


def test_error_email_for_a_token_path_has_no_token(settings, rf, mailoutbox):
    settings.ADMINS = [("", "admin@example.org")]
    settings.DEBUG = False
    token = "Zt3q_secret-token"
    request = rf.get(
        f"/consultations/manage/{token}/",
        headers={"referer": f"https://testserver/consultations/manage/{token}/"},
    )
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("django.request").error(
            "Internal Server Error: %s",
            request.path,
            exc_info=True,
            extra={"status_code": 500, "request": request},
        )

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert "/consultations/manage/[redacted]/" in mail.subject
    assert token not in mail.subject
    assert token not in mail.body
    # The live request is untouched: the view may still need its path.
    assert request.path == f"/consultations/manage/{token}/"


def test_a_template_context_in_a_failed_lookup_is_dropped_but_the_key_kept():
    record = logging.LogRecord(
        "django.template",
        logging.DEBUG,
        __file__,
        1,
        "Exception while resolving variable %r in template %r.",
        ("section", "consultations/manage.html"),
        None,
    )
    record.exc_text = (
        "VariableDoesNotExist: Failed lookup for key [section] in "
        "[{'token': 'Zt3q_secret', 'form_token': \"abc\"}, "
        "<QueryDict: {'csrfmiddlewaretoken': ['c5rf'], 'name': ['Sam']}>]"
    )

    RedactSecretsFilter().filter(record)

    # The context holds names and the user's email, not only secrets.
    assert record.exc_text == (
        "VariableDoesNotExist: Failed lookup for key [section] in [redacted]"
    )


def test_a_value_named_like_a_secret_in_a_repr_is_redacted():
    record = logging.LogRecord(
        "django.request",
        logging.DEBUG,
        __file__,
        1,
        "Data: %s",
        ("<QueryDict: {'csrfmiddlewaretoken': ['c5rf'], 'page': ['2']}>",),
        None,
    )

    RedactSecretsFilter().filter(record)

    assert record.getMessage() == (
        "Data: <QueryDict: {'csrfmiddlewaretoken': ['[redacted]'], 'page': ['2']}>"
    )


def test_an_email_address_anywhere_in_a_record_is_redacted():
    record = logging.LogRecord(
        "django.template",
        logging.DEBUG,
        __file__,
        1,
        "User %s, from %r",
        ("<User: sam.o+x@mail.example.org>", "Alex <alex@example.com>"),
        None,
    )

    RedactSecretsFilter().filter(record)

    assert record.getMessage() == "User <User: [redacted]>, from 'Alex <[redacted]>'"
