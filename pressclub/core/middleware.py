"""Middleware for HTTP caching and compression.

- :class:`CacheControlMiddleware` gives every response a ``Cache-Control`` header: ``public`` with a
  short ``max-age`` and an ``s-maxage`` for pages an anonymous reader may share with others,
  ``private, no-store`` for everything else (signed-in pages, forms with a CSRF token, the admin).
- :class:`PageCacheMiddleware` serves anonymous readers from the page cache (:mod:`pressclub.core.cache`).
- :class:`CompressionMiddleware` compresses text responses: Brotli for pages every reader shares,
  gzip for the others.
"""

import brotli
from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

from . import cache

# Media types worth compressing; images, fonts and archives are compressed already.
COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/javascript",
    "application/manifest+json",
    "image/svg+xml",
)


def shared_cache_control() -> str:
    """Return the ``Cache-Control`` of a page every anonymous reader may share.

    ``public, max-age=PRESSCLUB_BROWSER_CACHE_SECONDS, s-maxage=PRESSCLUB_SHARED_CACHE_SECONDS,
    stale-while-revalidate=PRESSCLUB_STALE_WHILE_REVALIDATE_SECONDS,
    stale-if-error=PRESSCLUB_STALE_IF_ERROR_SECONDS`` (RFC 9111, RFC 5861): a shared cache (nginx,
    a CDN) keeps the page ``s-maxage`` seconds, then answers with its copy while it fetches a fresh
    one, and while the site is down or failing. A directive whose setting is 0 is left out.
    """
    parts = [f"public, max-age={settings.PRESSCLUB_BROWSER_CACHE_SECONDS}",
             f"s-maxage={settings.PRESSCLUB_SHARED_CACHE_SECONDS}"]
    if settings.PRESSCLUB_STALE_WHILE_REVALIDATE_SECONDS:
        parts.append(f"stale-while-revalidate={settings.PRESSCLUB_STALE_WHILE_REVALIDATE_SECONDS}")
    if settings.PRESSCLUB_STALE_IF_ERROR_SECONDS:
        parts.append(f"stale-if-error={settings.PRESSCLUB_STALE_IF_ERROR_SECONDS}")
    return ", ".join(parts)


class CacheControlMiddleware:
    """Set ``Cache-Control`` and ``Vary`` on every response that has no ``Cache-Control`` yet.

    A response the anonymous page cache may keep (:func:`pressclub.core.cache.shareable`) gets
    :func:`shared_cache_control` and ``Vary: Cookie, Accept-Encoding`` (a reader who signs in gets their own copy, and a cache keeps the
    gzipped and the plain copy apart). Every other response gets ``private, no-store``: it may carry a
    member's name, a CSRF token or a message meant for one reader. Responses that set their own
    ``Cache-Control`` (WhiteNoise's static files, media, the admin's ``never_cache``, robots.txt)
    keep it. Sits outside the page cache, so hits get the same headers as misses.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if cache.shareable(request, response):
            response["Cache-Control"] = shared_cache_control()
            patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
        else:
            response["Cache-Control"] = "private, no-store"
        return response


class PageCacheMiddleware:
    """Answer a cacheable request from the page cache; store cacheable responses on the way out.

    Sits after CommonMiddleware and before CompressionMiddleware and CsrfViewMiddleware, so a stored
    response already carries the headers (and the compression) of the middleware inside it, and one
    that set the CSRF cookie is seen (and not stored). Compressed and plain copies are kept under
    separate keys (:func:`pressclub.core.cache.cache_key`). When a page is missing, the first
    request renders it and the others wait for its copy (:func:`pressclub.core.cache.render_lock`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cache.request_is_cacheable(request):
            return self.get_response(request)
        hit = cache.cached_response(request)
        if hit is None and not cache.render_lock(request):
            hit = cache.wait_for_copy(request)  # another request is rendering this page now
        if hit is not None:
            hit["X-Page-Cache"] = "hit"
            hit.pressclub_cacheable = True
            return hit
        try:
            response = self.get_response(request)
            if request.method == "GET" and cache.response_is_cacheable(request, response):
                cache.store_response(request, response)
                response["X-Page-Cache"] = "miss"
        finally:
            cache.render_unlock(request)
        return response


class CompressionMiddleware(GZipMiddleware):
    """Compress text responses (HTML, feeds, JSON, plain text): Brotli or gzip, as the client accepts.

    Django's GZipMiddleware, limited to the types in ``COMPRESSIBLE_TYPES`` (a JPEG gains nothing).
    A page every anonymous reader shares (:func:`pressclub.core.cache.shareable`) goes Brotli-
    compressed (RFC 7932) to a client whose ``Accept-Encoding`` names ``br``: a quarter smaller than
    gzip for an HTML page. A copy the page cache keeps is compressed once at
    ``PRESSCLUB_BROTLI_QUALITY_KEPT`` (11, the smallest; ~60 ms for a 23 KB front page) and served
    many times; one rendered for every request (the page cache off) at ``PRESSCLUB_BROTLI_QUALITY``
    (5: as fast as gzip, still smaller).

    Everything else (a member's page, a form) is gzipped, as before. Against BREACH (a secret in a
    compressed page guessed from its length), Django pads each gzipped response with up to 100
    random bytes; a shared page holds no secret (no CSRF token, nothing of one reader), so its
    Brotli copy goes unpadded.
    """

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(COMPRESSIBLE_TYPES):
            return response
        if (
            not response.streaming
            and len(response.content) >= 200
            and not response.has_header("Content-Encoding")
            and cache.accepted_encoding(request) == "br"
            and cache.shareable(request, response)
        ):
            return self._brotli(request, response)
        return super().process_response(request, response)

    def _brotli(self, request, response):
        kept = cache.request_is_cacheable(request)
        quality = settings.PRESSCLUB_BROTLI_QUALITY_KEPT if kept else settings.PRESSCLUB_BROTLI_QUALITY
        patch_vary_headers(response, ("Accept-Encoding",))
        compressed = brotli.compress(response.content, mode=brotli.MODE_TEXT, quality=quality)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):  # RFC 9110 8.8.1: a coded body has a weak validator
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "br"
        return response
