"""Keeps secrets that travel in URL paths, and personal data, out of the logs.

Django's `django.request`, `django.security.csrf` and `django.server` loggers
write the path of every 4xx response ("Conflict: /consultations/manage/<token>/
reschedule/"), and the error emails describe the whole request. A private
manage link, an email confirmation key or a password reset key in a log file
is a way into someone's booking or account for whoever reads the logs.

RedactSecretsFilter also hides values named like secrets in the reprs that
Django's debug logging prints (template contexts, POST data).

Personal data has no business in a log either. The template engine logs (at
DEBUG) every failed variable lookup with the whole context, which holds the
signed-in user (shown by their email) and whatever the page was given: that
context is dropped, the missing key kept. Any email address left in a line is
replaced too, whatever logged it.

RedactSecretsFilter rewrites the record in place: its message, its arguments,
its exception text and the request attached to it. Settings attach it to every
handler; a handler without it (pytest's caplog, say) still gets a redacted
record when a handler with it ran first, but must not be relied on.
"""

import copy
import logging
import re
import time

from django.views.debug import SafeExceptionReporterFilter

REDACTED = "[redacted]"

# The path segment that carries the secret, after the part of the path that
# names it. Matched anywhere in the text (a path, a full URL, a request line),
# not anchored to a prefix, so a route moved under another prefix stays covered.
SECRET_PATHS = re.compile(
    r"(?P<before>/(?:manage"  # consultations: the visitor's private link
    r"|calendar-feed"  # consultations: the specialist's calendar subscription
    r"|confirm-email"  # allauth: email confirmation key
    r"|password/reset/key"  # allauth: password reset uidb36-key
    r")/)(?P<secret>[^/\s?#'\"]+)"
)

# A secret named in a repr: the template engine logs (at DEBUG) a failed
# variable lookup with the whole context, {'token': '…'} included, and a
# QueryDict shows {'csrfmiddlewaretoken': ['…']}.
SECRET_VALUES = re.compile(
    r"""(?P<before>['"]\w*(?:token|key|secret|password)\w*['"]\s*:\s*\[?\s*['"])"""
    r"""(?P<secret>[^'"]+)""",
    re.IGNORECASE,
)

# VariableDoesNotExist's text: "Failed lookup for key [x] in <the context>".
# A repr is one line, so the context ends with the line.
TEMPLATE_CONTEXT = re.compile(r"(?P<before>Failed lookup for key \[[^\]\n]*\] in ).+")

EMAIL = re.compile(r"[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")

_PLAIN = (int, float, bool, type(None))


def redact(text):
    """`text` with every secret path segment, every value named like a secret
    in a repr, a template context and every email address replaced by
    [redacted]."""
    text = SECRET_PATHS.sub(rf"\g<before>{REDACTED}", text)
    text = SECRET_VALUES.sub(rf"\g<before>{REDACTED}", text)
    text = TEMPLATE_CONTEXT.sub(rf"\g<before>{REDACTED}", text)
    return EMAIL.sub(REDACTED, text)


def _redacted_arg(arg):
    if isinstance(arg, _PLAIN):
        return arg
    text = arg if isinstance(arg, str) else str(arg)
    redacted = redact(text)
    # Objects without a secret stay themselves (formatting may need them).
    return arg if redacted == text else redacted


def _redacted_request(request):
    """A shallow copy of the request whose path and META carry no secret: the
    real request may still be in use, and error emails print both."""
    if not SECRET_PATHS.search(getattr(request, "path", "")):
        return request
    safe = copy.copy(request)
    safe.path = redact(request.path)
    safe.path_info = redact(request.path_info)
    safe.META = {
        key: redact(value) if isinstance(value, str) else value
        for key, value in request.META.items()
    }
    return safe


class RedactSecretsFilter(logging.Filter):
    def filter(self, record):
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, dict):
            record.args = {k: _redacted_arg(v) for k, v in record.args.items()}
        elif record.args:
            record.args = tuple(_redacted_arg(arg) for arg in record.args)
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text when it is set: render it once, here.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if hasattr(record, "request"):
            record.request = _redacted_request(record.request)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a broken format string: the handler reports it
        if redact(message) != message:
            # A secret split across the format string and its arguments.
            record.msg, record.args = redact(message), ()
        return True


# Every character str.splitlines() breaks a line at, written as an escape:
# log collectors (journald, Docker, a log shipper) cut at newlines, and some at
# the others, so a traceback or a newline in a value would become several
# events, the later ones without level or logger (or a forged line of its own).
_LINE_BREAKS = {
    ord(char): char.encode("unicode_escape").decode()
    for char in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
}


class OneLineFormatter(logging.Formatter):
    """One line per event: time (UTC), level, logger and message, with the
    traceback, if any, on the same line (its line breaks escaped as \\n).

    Settings use it for everything written to stdout, and config/gunicorn.py
    for gunicorn's error and access logs.
    """

    converter = time.gmtime

    def __init__(self, fmt=None, datefmt=None, style="%", **kwargs):
        super().__init__(
            fmt or "%(asctime)s %(levelname)s %(name)s %(message)s",
            datefmt or "%Y-%m-%dT%H:%M:%SZ",
            style,
            **kwargs,
        )

    def format(self, record):
        return super().format(record).translate(_LINE_BREAKS)


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    """Error reports (the managers' error emails, the debug page) without
    personal data, one rule for every view (settings'
    DEFAULT_EXCEPTION_REPORTER_FILTER), so a new form needs no decorator:

    - every POST value is masked except those of the few fields below, which
      never hold anything about a person (a slot, a zone, a choice);
    - every cookie value is masked: the session cookie is a key to an account;
    - in production, every local variable of the traceback that is not a plain
      number, flag or None is masked (a frame of the booking service holds the
      visitor's name and note), its name kept. With DEBUG on, a developer sees
      the variables on their own machine.
    """

    SAFE_POST_FIELDS = frozenset(
        {
            "action",
            "consent",
            "horizon_days",
            "is_anonymous",
            "minimum_notice_hours",
            "no_further_emails",
            "no_voicemail",
            "offers_free_consultation",
            "only_at_booked_time",
            "preferred_format",
            "show_visitor_names",
            "slot",
            "topic",
            "tz",
        }
    )
    _PLAIN = (int, float, bool, type(None))

    def _masked(self, multivaluedict):
        masked = multivaluedict.copy()
        for name in masked:
            if name not in self.SAFE_POST_FIELDS:
                masked.setlist(name, [self.cleansed_substitute])
        return masked

    def get_post_parameters(self, request):
        return {} if request is None else self._masked(request.POST)

    def get_cleansed_multivaluedict(self, request, multivaluedict):
        return self._masked(multivaluedict)

    def get_safe_cookies(self, request):
        cookies = getattr(request, "COOKIES", {})
        return dict.fromkeys(cookies, self.cleansed_substitute)

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        if not self.is_active(request):
            return variables
        return [
            (
                name,
                value if isinstance(value, self._PLAIN) else self.cleansed_substitute,
            )
            for name, value in variables
        ]
