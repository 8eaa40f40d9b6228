"""The anonymous page cache: whole responses kept in Django's cache, keyed per URL.

Readers without a session (no ``sessionid`` or ``messages`` cookie) get a stored copy of the
front page, sections, articles, labels, archives, author pages and feeds. A response is stored only
when the view opted in (:func:`mark_cacheable`), the status is 200, and nothing user-specific went
into it: no cookie set, no CSRF token used (a comment form), no ``private``/``no-store``
Cache-Control, no ``Vary`` header but ``Accept-Encoding`` (the key is the URL and whether the reader
accepts gzip, so a response that differs by another request header must not be kept). Publishing, unpublishing or deleting a page, and approving a comment
(the comments app calls :func:`page_cache_purge`), empty the whole cache at once by moving to a
new key generation, since one story shows on many pages (front page, section, labels, feeds).
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache as default_cache
from django.core.cache import caches
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import cc_delim_re
from django.utils.translation import get_language

GENERATION_KEY = "pressclub:page-cache:generation"
SKIP_COOKIES = ("messages",)


def _cache():
    return caches[settings.PRESSCLUB_PAGE_CACHE]


def page_cache_generation() -> int:
    """Return the current generation of cached pages (an int that each purge increases)."""
    generation = _cache().get(GENERATION_KEY)
    if generation is None:
        _cache().add(GENERATION_KEY, 1, timeout=None)
        generation = _cache().get(GENERATION_KEY, 1)
    return generation


def page_cache_purge() -> None:
    """Forget every cached page (call after publishing, or after a comment is approved or removed)."""
    try:
        _cache().incr(GENERATION_KEY)
    except ValueError:  # no generation yet: nothing is cached under a generation to forget
        _cache().add(GENERATION_KEY, 1, timeout=None)


def cached_until_purge(key: str, compute, *, timeout: int):
    """Return ``compute()`` kept in Django's default cache under ``key`` and the current generation.

    For small parts of every page (masthead, section menu) that change only when the page cache is
    purged. ``timeout`` is in seconds. Nothing is kept while the page cache is off
    (``PRESSCLUB_PAGE_CACHE_SECONDS = 0``, as in tests): ``compute()`` runs each time.
    """
    if not settings.PRESSCLUB_PAGE_CACHE_SECONDS:
        return compute()
    full_key = f"{key}:{page_cache_generation()}"
    value = default_cache.get(full_key)
    if value is None:
        value = compute()
        default_cache.set(full_key, value, timeout=timeout)
    return value


def mark_cacheable(response):
    """Mark ``response`` as one the page cache may keep for anonymous readers; return it."""
    response.pressclub_cacheable = True
    return response


def cacheable_view(view):
    """Decorate a view whose responses the page cache may keep (see :func:`mark_cacheable`)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return mark_cacheable(view(request, *args, **kwargs))

    return wrapper


class CacheablePageMixin:
    """Mixin for Wagtail page types whose served responses the page cache may keep."""

    def serve(self, request, *args, **kwargs):
        return mark_cacheable(super().serve(request, *args, **kwargs))


def request_is_anonymous(request) -> bool:
    """Return True for a GET/HEAD from a reader without a session or pending messages."""
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and not any(name in cookies for name in SKIP_COOKIES)


def request_is_cacheable(request) -> bool:
    """Return True when the page cache is on and ``request`` is anonymous (:func:`request_is_anonymous`)."""
    return bool(settings.PRESSCLUB_PAGE_CACHE_SECONDS) and request_is_anonymous(request)


def shareable(request, response) -> bool:
    """Return True when ``response`` to ``request`` may be shared by every anonymous reader.

    The same test as the page cache's (:func:`response_is_cacheable`), whether or not the page cache
    is on; ``CacheControlMiddleware`` marks such responses ``public`` for browsers and proxies.
    """
    return request_is_anonymous(request) and response_is_cacheable(request, response)


def response_is_cacheable(request, response) -> bool:
    """Return True when ``response`` holds nothing specific to the reader who caused it."""
    cache_control = response.get("Cache-Control", "")
    return (
        getattr(response, "pressclub_cacheable", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and _varies_by_encoding_only(response)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in cache_control
        and "no-store" not in cache_control
        and "no-cache" not in cache_control
    )


def _varies_by_encoding_only(response) -> bool:
    vary = [field.lower() for field in cc_delim_re.split(response.get("Vary", "")) if field]
    return all(field == "accept-encoding" for field in vary)


def accepted_encoding(request) -> str:
    """Return ``"gzip"`` when ``request`` accepts gzip (as CompressionMiddleware decides), else ``"identity"``."""
    return "gzip" if re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else "identity"


def cache_key(request) -> str:
    """Return the cache key of ``request``: generation, language, encoding, scheme, host and full path.

    The encoding (:func:`accepted_encoding`) is part of the key, so a gzipped copy is never served to
    a client that did not ask for gzip; so is the reader's language (``get_language()``, activated
    by ``core.language.LanguageMiddleware`` before this is asked), so each language has its own copy.
    """
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()
    return f"pressclub:page:{page_cache_generation()}:{get_language()}:{accepted_encoding(request)}:{digest}"


def cached_response(request):
    """Return the stored response for ``request``, or None."""
    return _cache().get(cache_key(request))


def store_response(request, response) -> None:
    """Keep ``response`` (rendered) for ``PRESSCLUB_PAGE_CACHE_SECONDS`` under ``request``'s key."""
    if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
        response.render()
    _cache().set(cache_key(request), response, timeout=settings.PRESSCLUB_PAGE_CACHE_SECONDS)
