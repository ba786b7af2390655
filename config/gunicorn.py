"""gunicorn's settings for production:

    gunicorn -c config/gunicorn.py config.wsgi

Sync workers, one request at a time each: the site's pages are short,
database-bound requests, and a slow client never reaches a worker when nginx
buffers in front (deploy/). Every value that differs between machines comes
from the environment (README, "Configuration").

Logs go to stdout, one line per event, as the site's own do (core/logging.py):
gunicorn's messages, and an access log that holds neither query strings nor
the secrets that travel in paths (manage links, email confirmation and
password reset keys), nor anything about the visitor (address, user agent,
referrer, whose Referer would carry the private link of the page a form was
posted from).
"""

import os

from gunicorn import glogging

from core.logging import redact


def _whole_number(name, default):
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return default
    if not raw.isdigit():
        raise RuntimeError(f"{name} must be a whole number, got {raw!r}")
    return int(raw)


# Addresses to listen on, comma-separated (host:port, unix:PATH or fd://N).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# gunicorn's rule of thumb: two workers a core, plus one, so that a core has
# work while a worker waits on the database. The cores this process may use,
# which a container or CPU affinity can make fewer than the machine's.
workers = _whole_number("WEB_CONCURRENCY", 2 * len(os.sched_getaffinity(0)) + 1)
worker_class = "sync"

# A worker silent for this long is killed and replaced: no page takes more
# than a fraction of a second, so only a stuck request ever gets there.
timeout = _whole_number("GUNICORN_TIMEOUT", 30)
# On SIGTERM (a deploy, systemd stopping the service), workers finish the
# requests they are serving for up to this long before being killed.
graceful_timeout = _whole_number("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Behind nginx, which keeps its connections to the app server open.
keepalive = 5

# A worker is replaced after this many requests, so that memory a request
# leaves behind cannot grow without bound; the jitter keeps the workers from
# all restarting at the same moment. 0 turns it off.
max_requests = _whole_number("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10


class Logger(glogging.Logger):
    """gunicorn's logger, whose access records carry only what the access log
    prints, the path already redacted (the handler's filter redacts again)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            "m": atoms["m"],
            "U": redact(atoms["U"] or ""),  # the path, without the query string
            "s": atoms["s"],
            "b": atoms["b"],
            "M": atoms["M"],
        }


logger_class = Logger
accesslog = "-"
access_log_format = '"%(m)s %(U)s" %(s)s %(b)s %(M)sms'
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

# Replaces gunicorn's handlers (error log on stderr, access log on stdout, in
# two formats) with the site's: stdout, one line, secrets redacted.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "core.logging.RedactSecretsFilter"}},
    "formatters": {"one_line": {"()": "core.logging.OneLineFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "one_line",
            "filters": ["redact_secrets"],
        }
    },
    "root": {"level": loglevel.upper(), "handlers": ["stdout"]},
    "loggers": {
        "gunicorn.error": {
            "level": loglevel.upper(),
            "handlers": ["stdout"],
            "propagate": False,
        },
        "gunicorn.access": {
            "level": "INFO",
            "handlers": ["stdout"],
            "propagate": False,
        },
    },
}
