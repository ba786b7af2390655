from django.utils.cache import patch_cache_control

from core.ratelimit import allauth_retry_after


def cross_origin_resource_policy(get_response):
    """Forbid other sites to embed this site's responses (pages and files)."""

    def middleware(request):
        response = get_response(request)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response

    return middleware


# URL parts that open someone's own page without an account: the manage link
# of a booking, a specialist's calendar feed, allauth's confirmation and
# password reset keys.
SECRET_URL_PARTS = {"token", "key", "uidb36"}


def private_pages_not_stored(get_response):
    """Browsers and proxies keep no copy of a page with personal data: on a
    shared computer, the back button or the disk cache would show the next
    person someone's messages, bookings or account.

    Personal is every page shown to someone logged in (the header alone
    carries their unread messages), every page of a visitor whose session
    holds something (a booking just made), and every page opened through a
    secret link. Other pages stay cacheable: they are the same for everyone.
    """

    def middleware(request):
        response = get_response(request)
        if "no-store" not in response.get("Cache-Control", "") and is_personal(request):
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware


def is_personal(request):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    session = getattr(request, "session", None)
    if session is not None and not session.is_empty():
        return True
    match = request.resolver_match
    return match is not None and not SECRET_URL_PARTS.isdisjoint(match.kwargs)


def retry_after_on_429(get_response):
    """Every 429 says when to try again. Our limits set Retry-After where they
    refuse (core.ratelimit); allauth's 429 carries none, so it is added here."""

    def middleware(request):
        response = get_response(request)
        if response.status_code == 429 and not response.has_header("Retry-After"):
            response["Retry-After"] = str(allauth_retry_after(request))
        return response

    return middleware
