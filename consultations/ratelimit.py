"""Fixed-window counters in the shared cache (every worker sees the same)."""

import hashlib
import time

from allauth.account.adapter import get_adapter
from django.core.cache import cache

BOOKINGS_PER_IP_PER_HOUR = 10
BOOKINGS_PER_EMAIL_PER_HOUR = 5


def _over(key, limit, window):
    cache_key = f"ratelimit:{key}:{int(time.time() // window)}"
    cache.add(cache_key, 0, window)
    return cache.incr(cache_key) > limit


def booking_refused(request, email):
    """Counts a booking attempt; True when this address or email is over its limit."""
    ip = get_adapter(request).get_client_ip(request)
    email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    over_ip = _over(f"book-ip:{ip}", BOOKINGS_PER_IP_PER_HOUR, 3600)
    over_email = _over(f"book-email:{email_key}", BOOKINGS_PER_EMAIL_PER_HOUR, 3600)
    return over_ip or over_email
