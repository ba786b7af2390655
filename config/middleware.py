def cross_origin_resource_policy(get_response):
    """Forbid other sites to embed this site's responses (pages and files)."""

    def middleware(request):
        response = get_response(request)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response

    return middleware
