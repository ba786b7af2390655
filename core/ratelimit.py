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

import functools
import ipaddress
import math
import time

from allauth.account import app_settings as allauth_settings
from allauth.core.internal import ratelimit as allauth_ratelimit
from django.conf import settings
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
    """The visitor's address, as rate limits count it (ours and allauth's:
    accounts.adapter.AccountAdapter.get_client_ip returns this too).

    X-Forwarded-For is written by whoever sends the request, so it is read only
    when the connection comes from one of TRUSTED_PROXIES, and then from the
    right: each trusted proxy appended the address it saw, so the first address
    that is not a trusted proxy is the client's. What lies left of it was sent
    by the client and may be anything. Without a trusted peer the header is
    ignored and the peer's own address counts, so a client that reaches the app
    server directly cannot choose its address. A malformed entry ends the walk
    at the last trusted hop, the last address we can vouch for.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    peer = _ip(remote)
    if peer is None:  # e.g. a Unix socket, which has no address
        return remote
    proxies = _networks(tuple(settings.TRUSTED_PROXIES))
    hop = peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for entry in reversed(forwarded):
        if not _is_trusted(hop, proxies):
            break
        address = _ip(entry)
        if address is None:  # empty, garbage, or a port glued on: stop
            break
        hop = address
    return str(hop)


def _ip(text):
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # An IPv4 client seen through a dual-stack socket: count it as IPv4.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


@functools.cache
def _networks(trusted_proxies):
    return tuple(ipaddress.ip_network(proxy) for proxy in trusted_proxies)


def _is_trusted(address, proxies):
    return any(address in network for network in proxies)


def too_many_requests(request, template_name, context, *, form, error):
    """The form again, with everything the person typed, the limit's message on
    top, HTTP 429 and Retry-After."""
    form.add_error(None, error.message)
    response = render(request, template_name, context, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


# The limit each of allauth's pages checks before it answers 429 (see
# allauth/account/views.py), by URL name.
ALLAUTH_ACTIONS = {
    "account_login": "login",
    "account_signup": "signup",
    "account_reset_password": "reset_password",
    "account_reset_password_from_key": "reset_password_from_key",
    "account_email": "manage_email",
    "account_change_password": "change_password",
    "account_set_password": "change_password",
    "account_reauthenticate": "reauthenticate",
}


def allauth_retry_after(request):
    """Seconds until allauth lets this request through again, for its 429,
    which says no Retry-After of its own.

    Exact where allauth's history for the page's limit (per address, user or
    submitted email) is found full in the cache: the time until its oldest
    counted attempt leaves the window. Otherwise the longest window that
    could apply, never too short: a window's attempts are all gone after it.
    Reads allauth's internal cache keys, so a test pins the exact value.
    """
    match = request.resolver_match
    action = ALLAUTH_ACTIONS.get(match.url_name) if match else None
    limits = allauth_settings.RATE_LIMITS
    actions = [action] if action in limits else list(limits)
    rates = {
        (name, rate)
        for name in actions
        for rate in allauth_ratelimit.parse_rates(limits.get(name))
    }
    if not rates:
        return 60
    now = time.time()
    waits = []
    for name, rate in rates:
        wait = _allauth_wait(request, name, rate, now)
        if wait:
            waits.append(wait)
    longest = max(rate.duration for _name, rate in rates)
    return math.ceil(max(waits) if waits else longest)


def _allauth_wait(request, action, rate, now):
    user = getattr(request, "user", None)
    if rate.per == "user" and not (user and user.is_authenticated):
        return None
    key = request.POST.get("email", "").strip().lower() or None
    if rate.per == "key" and key is None:
        return None
    cache_key = allauth_ratelimit.get_cache_key(
        request, app="allauth.account", action=action, rate=rate, key=key
    )
    live = sorted(
        (t for t in cache.get(cache_key, []) if t > now - rate.duration), reverse=True
    )
    if len(live) < rate.amount:
        return None
    return max(1, live[rate.amount - 1] + rate.duration - now)
