"""Middleware serving anonymous readers from the page cache (see :mod:`pressclub.core.cache`)."""

from . import cache


class PageCacheMiddleware:
    """Answer a cacheable request from the page cache; store cacheable responses on the way out.

    Sits after CommonMiddleware and before CsrfViewMiddleware, so a stored response already
    carries the headers of the middleware inside it, and one that set the CSRF cookie is seen
    (and not stored).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cache.request_is_cacheable(request):
            return self.get_response(request)
        hit = cache.cached_response(request)
        if hit is not None:
            hit["X-Page-Cache"] = "hit"
            return hit
        response = self.get_response(request)
        if request.method == "GET" and cache.response_is_cacheable(request, response):
            cache.store_response(request, response)
            response["X-Page-Cache"] = "miss"
        return response
