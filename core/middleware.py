from urllib.parse import unquote

from django.core.exceptions import BadRequest


def refuse_nul_bytes(get_response):
    """A NUL byte in the path or the query string is a 400, before any view
    sees it: no person types one, PostgreSQL refuses it in text (a 500 on
    any lookup by slug, token or search words) and the file system in paths.
    Raised rather than returned, so the 400 goes through Django's handler
    and every middleware's headers."""

    def middleware(request):
        if "\x00" in request.path or "\x00" in unquote(
            request.META.get("QUERY_STRING", "")
        ):
            raise BadRequest("NUL byte in the address")
        return get_response(request)

    return middleware
