"""Rate limits kept in the shared cache, and the page that says one was hit.

The counters live in Django's default cache, which settings point at the
database or Redis: every worker on every machine counts in the same place, and
a restart forgets nothing. (A per-process memory cache would multiply each
limit by the number of workers.)

A limit of N per window is N "slots" per key. Each attempt claims a free slot
with cache.add(), which is atomic on both backends (an INSERT on the cache
table's primary key; SET NX in Redis), so two workers racing for the last slot
cannot both get it. A slot frees itself `window` seconds after it was claimed:
the window slides, with no burst of 2N across a fixed boundary, and the time
until the oldest slot frees is an exact Retry-After. Counters are never
incremented in place: the database cache's incr() is a read then a write, and
resets the entry's timeout.

Keys are an HMAC of the limit's name and the caller's key (an email, an IP
address, a user id), so the cache never holds an address in clear and a leaked
cache table cannot be reversed with a list of likely addresses.
"""

import math

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac


class RateLimited(Exception):
    """Over a limit. `retry_after` is in whole seconds; `message` is for people."""

    def __init__(self, retry_after, message=""):
        super().__init__(message)
        self.retry_after = retry_after
        self.message = message


class RateLimit:
    """At most `limit` attempts per key within any `window` seconds.

    `message` may use %(limit)d; it is what the person reads when refused.
    """

    def __init__(self, name, *, limit, window, message=""):
        self.name = name
        self.limit = limit
        self.window = window
        self.message = message

    def _slot_keys(self, key):
        digest = salted_hmac("core.ratelimit", f"{self.name}:{key}").hexdigest()
        return [f"ratelimit:{self.name}:{digest}:{n}" for n in range(self.limit)]

    def hit(self, key):
        """Counts one attempt for `key`. Returns 0 when it is allowed, else the
        seconds until one more attempt would be (the attempt is not counted)."""
        now = timezone.now().timestamp()
        keys = self._slot_keys(key)
        taken = cache.get_many(keys)
        for slot in keys:
            # add() fails when another request claimed this slot meanwhile.
            if slot not in taken and cache.add(slot, now + self.window, self.window):
                return 0
        taken = cache.get_many(keys)
        if not taken:  # every slot freed while this request raced for one
            return 1
        return max(1, math.ceil(min(taken.values()) - now))

    def check(self, key):
        """Counts one attempt for `key`; raises RateLimited when over the limit."""
        retry_after = self.hit(key)
        if retry_after:
            raise RateLimited(retry_after, self.message % {"limit": self.limit})


def client_ip(request):
    """The visitor's address, trusting X-Forwarded-For only from the number of
    proxies configured in ALLAUTH_TRUSTED_PROXY_COUNT (allauth's rule, so its
    limits and ours count the same address)."""
    return get_adapter(request).get_client_ip(request)


def too_many_requests(request, template_name, context, *, form, error):
    """The form again, with everything the person typed, the limit's message on
    top, HTTP 429 and Retry-After."""
    form.add_error(None, error.message)
    response = render(request, template_name, context, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response
