"""Middleware of the ground floor: refusing NUL in paths, and serving anonymous readers from the
page cache (see :mod:`pressclub.core.cache`)."""

from django.http import Http404

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


class NulPathMiddleware:
    """Answer 404 for a URL path holding a NUL character (``%00``), before any view runs.

    No page, label, author or feed can have one in its address, and PostgreSQL refuses NUL in a
    query parameter, so a view looking such a slug up failed with a server error and an ERROR
    traceback. Checking here covers every URL shape, Wagtail's page serving included. The 404 is
    the site's own page, logged as Django logs any 404 (a warning).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404("No page has a NUL character in its address.")
        return self.get_response(request)
