"""/healthz: whether this app server can serve pages, for a load balancer or a
process supervisor.

It asks what every page needs: the database (a trivial query) and the cache
(a key written and read back; sessions aside, rate limits and cached pages
live there). 200 "ok" when both answer, 503 otherwise, with the reason in the
log only. A load balancer calls it every few seconds, over plain HTTP on a
private address, so it is exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT)
and leaves nothing behind: no session, no cookie, no cached copy.
"""

import logging
import os
import secrets

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _describe(exc):
    return f"{type(exc).__name__}: {exc}"


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception as exc:
        logger.error("Health check: the database does not answer: %s", _describe(exc))
        return False


def cache_answers():
    # A key of this process's own, so that two workers checking at once
    # never read each other's value; deleted at once, so nothing piles up.
    key = f"healthz:{os.getpid()}:{secrets.token_hex(4)}"
    value = secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=30)
        answers = cache.get(key) == value
        cache.delete(key)
    except Exception as exc:  # each cache backend raises its own errors
        logger.error("Health check: the cache does not answer: %s", _describe(exc))
        return False
    if not answers:
        logger.error("Health check: the cache did not return the value it was given")
    return answers


@require_safe
@never_cache
def healthz(request):
    # Both are asked, so that the log names every part that is down.
    healthy = all([database_answers(), cache_answers()])
    response = HttpResponse(
        "ok\n" if healthy else "unavailable\n",
        status=200 if healthy else 503,
        content_type="text/plain; charset=utf-8",
    )
    # The line above says why. Django's own "Service Unavailable" record
    # would add nothing but an email to the managers on every poll of an
    # outage (django.request errors go to mail_admins).
    response._has_been_logged = True
    return response
