"""The anonymous page cache: whole responses kept in Django's cache, keyed per URL.

Readers without a session (no ``sessionid`` or ``messages`` cookie) get a stored copy of the
front page, sections, articles, labels, archives, author pages and feeds. A response is stored only
when the view opted in (:func:`mark_cacheable`), the status is 200, and nothing user-specific went
into it: no cookie set, no CSRF token used (a comment form), no ``private``/``no-store``
Cache-Control, no ``Vary`` header but ``Accept-Encoding`` (the key is the URL and whether the reader
accepts Brotli or gzip, so a response that differs by another request header must not be kept), and the key
holds the interface language too.

Two purges (:mod:`pressclub.core.purge`):

- by URL (:func:`page_cache_purge_urls`): publishing a story or approving a comment forgets the pages
  that change (:mod:`pressclub.core.purge_lists` says which) and no other. Each path has a small
  *version* in the cache; a purge gives the path a new one and deletes the exact copies of each
  URL in each language and encoding. A copy is valid only under the version it was made with, so
  a purge reaches every copy of the path at once: each query string (``?page=2``,
  ``?comments=2``), each host, and each variant stored under ``cache_key(request, variant=...)``.
- everything (:func:`page_cache_purge`): a new *generation*, for the few changes every page shows
  (section menu, site identity, a breaking-news banner).

A copy is stored as ready bytes and headers with the generation and path version it was made
under; a hit reads the current generation, the path's version and the copy in one round trip
(``get_many``). Each process also keeps its ``PRESSCLUB_PAGE_CACHE_LOCAL_PAGES`` most recently served
copies in memory, and serves one only after reading the shared generation and path version (one
small round trip): a purge in any process reaches them all.
"""

import contextlib
import contextvars
import functools
import hashlib
import re
import secrets
import threading
import time
from collections import OrderedDict
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import cc_delim_re
from django.utils.encoding import escape_uri_path, iri_to_uri
from django.utils.translation import get_language

GENERATION_KEY = "pressclub:page-cache:generation"
VERSION_PREFIX = "pressclub:page-version:"
SKIP_COOKIES = ("messages",)
#: The encodings a copy is kept in (:func:`accepted_encoding`).
ENCODINGS = ("br", "gzip", "identity")
# "br" among a request's Accept-Encoding codings (as Django's re_accepts_gzip finds "gzip").
_ACCEPTS_BROTLI = re.compile(r"\bbr\b")
# Seconds a path's version is kept: far longer than any copy (PRESSCLUB_PAGE_CACHE_SECONDS). A version
# that expires or is evicted is replaced by a new one, which no stored copy carries.
VERSION_SECONDS = 7 * 24 * 3600


def _cache():
    return caches[settings.PRESSCLUB_PAGE_CACHE]


def _new_generation() -> int:
    # A generation that no page stored before it can carry: microseconds since the epoch, times
    # 1,000, plus a random part. A generation key lost from the cache (evicted, Redis restarted)
    # starts again above every earlier one (each purge adds 1), so no stale copy comes back.
    return time.time_ns() // 1000 * 1000 + secrets.randbelow(1000)


def page_cache_generation() -> int:
    """Return the current generation of cached pages (an int that each purge increases)."""
    generation = _cache().get(GENERATION_KEY)
    return generation if generation is not None else _start_generation()


def _start_generation() -> int:
    _cache().add(GENERATION_KEY, _new_generation(), timeout=None)
    return _cache().get(GENERATION_KEY) or 0


def page_cache_purge() -> None:
    """Forget every cached page: a new generation (for changes every page shows; see
    :mod:`pressclub.core.purge`, which also purges the front-end caches)."""
    try:
        _cache().incr(GENERATION_KEY)
    except ValueError:  # no generation yet: nothing is cached under a generation to forget
        _start_generation()


def url_path(url: str) -> str:
    """Return the decoded path of ``url`` (absolute URL or path; query and fragment dropped), as
    ``request.path`` holds it: ``"https://x.org/%E0%A4%95/?page=2"`` → ``"/क/"``."""
    return unquote(urlsplit(url).path) or "/"


def version_key(path: str) -> str:
    """Return the cache key of the version of ``path`` (decoded, without query: :func:`url_path`)."""
    digest = hashlib.sha256(path.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{VERSION_PREFIX}{digest}"


def scope_key(scope: str) -> str:
    """Return the version key of ``scope``, a name for small cached values that a purge by URL also
    renews when it names the scope (``"stories"``: lists of stories kept by :func:`cached_until_purge`)."""
    return f"{VERSION_PREFIX}scope:{scope}"


def page_cache_keys(url: str, *, languages, variants=("",)) -> list[str]:
    """Return the page cache's keys of ``url`` (absolute, with its query) in each of ``languages``
    (codes of LANGUAGES), each encoding (:data:`ENCODINGS`; a variant other than ``""``, the anonymous
    copy, has one key whatever the encoding) and each of ``variants``, in that order. They are the
    keys :func:`cache_key` gives a request for that URL."""
    parts = urlsplit(url)
    full_path = escape_uri_path(unquote(parts.path) or "/")
    if parts.query:
        full_path += "?" + iri_to_uri(parts.query)
    address = f"{parts.scheme}://{parts.netloc}{full_path}"
    return [
        _key(address, encoding, language, variant)
        for language in languages
        for encoding in ENCODINGS
        for variant in variants
        if not variant or encoding == "identity"
    ]


def page_cache_purge_urls(urls, *, languages, scopes=()) -> list[str]:
    """Forget the cached copies of ``urls`` (absolute URLs); return the keys deleted.

    Each URL's path gets a new version, so every copy of the path (each query string, host,
    language, encoding and variant, in every process's memory too) stops being served; its exact
    copies in each of ``languages`` and each encoding are deleted from the shared cache as well.
    Each of ``scopes`` (:func:`scope_key`) gets a new version too. Two round trips, whatever the
    number of URLs.
    """
    urls = list(urls)
    versions = {version_key(url_path(url)): _new_generation() for url in urls}
    versions.update({scope_key(scope): _new_generation() for scope in scopes})
    if versions:
        _cache().set_many(versions, timeout=VERSION_SECONDS)
    keys = [key for url in urls for key in page_cache_keys(url, languages=languages)]
    if keys:
        _cache().delete_many(keys)
    return keys


def page_cache_renew_scopes(scopes) -> None:
    """Give each of ``scopes`` (names, :func:`scope_key`) a new version: what
    :func:`cached_until_purge` kept under them is computed again. One round trip; none without scopes.

    Call it once the change has committed (``transaction.on_commit``): a value computed from the
    database before the commit and stored after the renewal carries the old version and is never
    returned.
    """
    versions = {scope_key(scope): _new_generation() for scope in scopes}
    if versions:
        _cache().set_many(versions, timeout=VERSION_SECONDS)


# Values read ahead (read_ahead): {key: value}, a key the cache did not hold mapped to _ABSENT.
_ahead: contextvars.ContextVar[dict | None] = contextvars.ContextVar("pressclub_cache_read_ahead", default=None)
_ABSENT = object()


def cached_until_purge_keys(key: str, scope: str | None = None) -> list[str]:
    """Return the cache keys :func:`cached_until_purge` reads for ``key`` and ``scope`` (for :func:`read_ahead`)."""
    return [GENERATION_KEY, key] + ([scope_key(scope)] if scope else [])


@contextlib.contextmanager
def read_ahead(keys):
    """Read ``keys`` from the page cache's Django cache in one round trip, and answer the reads of
    :func:`cached_until_purge` and :func:`cached_page` inside the ``with`` block from what was read.

    For a request that is known to need several small values (a signed-in member's page:
    ``core.member_pages``): one round trip instead of one per value. A read whose keys were not
    all read ahead goes to the cache as usual, so does every read after the block; a value
    stored inside the block is no longer answered from what was read ahead. Nothing is read
    ahead when the page cache is off (``PRESSCLUB_PAGE_CACHE_SECONDS = 0``).
    """
    keys = list(dict.fromkeys(keys))
    if not settings.PRESSCLUB_PAGE_CACHE_SECONDS or not keys:
        yield
        return
    found = _cache().get_many(keys)
    token = _ahead.set({key: found.get(key, _ABSENT) for key in keys})
    try:
        yield
    finally:
        _ahead.reset(token)


def _get_many(keys: list[str]) -> dict:
    # get_many, answered from what was read ahead when it holds every key and the generation.
    ahead = _ahead.get()
    if ahead is not None and ahead.get(GENERATION_KEY, _ABSENT) is not _ABSENT and all(k in ahead for k in keys):
        return {key: ahead[key] for key in keys if ahead[key] is not _ABSENT}
    return _cache().get_many(keys)


def _forget_ahead(key: str) -> None:
    ahead = _ahead.get()
    if ahead is not None:
        ahead.pop(key, None)


def _read_with_generation(key: str, scope: str | None = None):
    """Return ``(current generation, scope version or None, value stored under key or None)`` in one
    cache round trip (none when read ahead: :func:`read_ahead`)."""
    found = _get_many(cached_until_purge_keys(key, scope))
    generation = found.get(GENERATION_KEY)
    if generation is None:
        return _start_generation(), None, None
    return generation, found.get(scope_key(scope)) if scope else None, found.get(key)


def _start_version(key: str) -> int | None:
    """Give ``key`` (a path's or scope's version) a first version; return it, or None when another
    process gave it one first (a purge may have come in between: the caller's copy is not kept)."""
    version = _new_generation()
    added = _cache().add(key, version, timeout=VERSION_SECONDS)
    _forget_ahead(key)
    return version if added else None


def cached_until_purge(key: str, compute, *, timeout: int, scope: str | None = None, site_wide: bool = False):
    """Return ``compute()`` kept in the page cache's Django cache under ``key`` until the next purge.

    For small parts of every page (masthead, section menu, routes) that change only when the page
    cache is purged. The value is stored with the generation it was computed in, and read with
    the current generation in one round trip (``get_many``). With a ``scope`` (``"stories"``), it
    is also renewed by each purge by URL that names the scope (:func:`page_cache_purge_urls`).
    ``timeout`` is in seconds. While the page cache is off (``PRESSCLUB_PAGE_CACHE_SECONDS = 0``, as
    in tests) nothing is kept, ``compute()`` running each time, unless ``site_wide``: the site-wide
    parts every page reads (site, routes, masthead, view restrictions, breaking news) are kept
    whether or not whole pages are, since the purges that renew them run either way.
    """
    if not settings.PRESSCLUB_PAGE_CACHE_SECONDS and not site_wide:
        return compute()
    generation, version, stored = _read_with_generation(key, scope)
    if (
        isinstance(stored, tuple)
        and len(stored) == 3
        and stored[0] == generation
        and (scope is None or (version is not None and stored[2] == version))
    ):
        return stored[1]
    value = compute()
    if scope is not None and version is None:
        version = _start_version(scope_key(scope))
        if version is None:
            return value
    _cache().set(key, (generation, value, version), timeout=timeout)
    _forget_ahead(key)
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

    wrapper.pressclub_cacheable_view = True  # what core.member_pages looks for before a view runs
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
    """Return the coding a shared copy for ``request`` is kept in, as CompressionMiddleware decides:
    ``"br"`` when its ``Accept-Encoding`` names br (every current browser does), else ``"gzip"`` when
    it names gzip, else ``"identity"``."""
    accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
    if _ACCEPTS_BROTLI.search(accepted):
        return "br"
    return "gzip" if re_accepts_gzip.search(accepted) else "identity"


def _key(address: str, encoding: str, language: str | None, variant: str) -> str:
    digest = hashlib.sha256(address.encode("utf-8", "surrogatepass")).hexdigest()
    key = f"pressclub:page:{encoding}:{language or '-'}:{digest}"
    return f"{key}:{variant}" if variant else key


def cache_key(request, variant: str = "") -> str:
    """Return the cache key of ``request``: encoding, interface language, scheme, host and full path
    with query, then ``variant`` when given.

    ``variant`` names another copy of the same page kept beside the anonymous one (a signed-in
    member's shared copy, ``"member:<kind>"``, see :mod:`pressclub.core.member_pages`); ``""`` is the
    anonymous copy. A variant is stored before compression (each member's page is compressed
    with its own padding), so one copy serves every encoding: its key names none.

    The anonymous copy's encoding (:func:`accepted_encoding`) is part of the key, so a compressed
    copy is never served to a client that did not ask for its coding; so is the reader's language (``get_language()``, activated
    by ``core.language.LanguageMiddleware`` before this is asked), so each language has its own copy.
    The generation and the path's version are not in the key: they are stored with the copy
    (:func:`store_response`), so a purge of the path reaches every variant.
    """
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return _key(address, "identity" if variant else accepted_encoding(request), get_language(), variant)


class _StoredPage:
    """A cached page as it goes over the wire: generation, path version, expiry (epoch seconds),
    status, headers, body."""

    __slots__ = ("generation", "version", "expires", "status", "headers", "body")

    def __init__(self, generation, version, expires, status, headers, body):
        self.generation, self.version, self.expires = generation, version, expires
        self.status, self.headers, self.body = status, headers, body

    def response(self) -> HttpResponse:
        response = HttpResponse(self.body, status=self.status)
        response.pressclub_page_cache_hit = True
        headers = response.headers
        for name, value in self.headers:
            headers[name] = value
        return response


class _LocalPages:
    """The hottest pages of this process, least recently used dropped first (thread-safe)."""

    def __init__(self):
        self._pages = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key, page, size: int):
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > size:
                self._pages.popitem(last=False)

    def discard(self, key):
        with self._lock:
            self._pages.pop(key, None)

    def clear(self):
        with self._lock:
            self._pages.clear()

    def __len__(self):
        return len(self._pages)


_local_pages = _LocalPages()


def page_cache_local_clear() -> None:
    """Forget this process's in-memory copies (tests; a shared purge already makes them unused)."""
    _local_pages.clear()


def cached_response(request, *, variant: str = ""):
    """Return the stored response for ``request`` (a new HttpResponse), or None (see :func:`cached_page`)."""
    page = cached_page(request, variant=variant)
    return page.response() if page is not None else None


def cached_page(request, *, variant: str = ""):
    """Return the stored copy of ``request``'s page (``variant`` as in :func:`cache_key`), or None.

    The copy has ``status``, ``headers`` (``((name, value), ...)``) and ``body`` (as stored by
    :func:`store_response`).

    One cache round trip: the shared generation and the path's version when this process holds the
    page in memory (``PRESSCLUB_PAGE_CACHE_LOCAL_PAGES`` most recently used pages), else those and
    the page together (``get_many``). A copy made under an older generation or path version (a
    purge since) or past its expiry is never returned.
    """
    key = cache_key(request, variant)
    path_key = version_key(request.path)
    now = time.time()
    local = _local_pages.get(key)
    if local is not None:
        found = _get_many([GENERATION_KEY, path_key])
        if (
            local.generation == found.get(GENERATION_KEY)
            and local.version == found.get(path_key)
            and local.expires > now
        ):
            return local
        _local_pages.discard(key)  # purged or expired: read the shared copy as on a first sight
    found = _get_many([GENERATION_KEY, path_key, key])
    generation, version, stored = found.get(GENERATION_KEY), found.get(path_key), found.get(key)
    if generation is None:
        generation, stored = _start_generation(), None
    # What a copy made now is stored under (store_response).
    request._pressclub_page_versions = (generation, version)
    if (
        not isinstance(stored, tuple)
        or len(stored) != 6
        or version is None
        or stored[0] != generation
        or stored[1] != version
        or stored[2] <= now
    ):
        return None
    page = _StoredPage(*stored)
    size = settings.PRESSCLUB_PAGE_CACHE_LOCAL_PAGES
    if size:
        _local_pages.put(key, page, size)
    return page


def render_lock(request, *, variant: str = "") -> bool:
    """Return True when this request is to render the page (it took the page's render lock, or the
    lock is not kept), False when another request is rendering it now.

    After a purge every reader of a hot page misses at once; only the first renders, and the others
    wait for its copy (:func:`wait_for_copy`), as nginx's ``proxy_cache_lock`` does. The lock lasts
    ``PRESSCLUB_PAGE_CACHE_LOCK_SECONDS`` at most; :func:`render_unlock` ends it.
    """
    seconds = settings.PRESSCLUB_PAGE_CACHE_LOCK_SECONDS
    if not seconds:
        return True
    return bool(_cache().add(cache_key(request, variant) + ":rendering", 1, timeout=seconds))


def render_unlock(request, *, variant: str = "") -> None:
    """End the render lock :func:`render_lock` took for ``request``."""
    if settings.PRESSCLUB_PAGE_CACHE_LOCK_SECONDS:
        _cache().delete(cache_key(request, variant) + ":rendering")


def wait_for_copy(request, *, variant: str = ""):
    """Wait while another request renders ``request``'s page; return its copy (as
    :func:`cached_response`), or None when the render ended without a copy or took longer than
    ``PRESSCLUB_PAGE_CACHE_LOCK_SECONDS`` (the caller then renders the page itself).

    The copy is asked for every 5 ms at first, then less often (up to every 50 ms). A copy is
    returned only when made under the current generation and path version, as any hit.
    """
    lock = cache_key(request, variant) + ":rendering"
    deadline = time.monotonic() + settings.PRESSCLUB_PAGE_CACHE_LOCK_SECONDS
    pause = 0.005
    while time.monotonic() < deadline:
        time.sleep(pause)
        pause = min(pause * 2, 0.05)
        found = cached_response(request, variant=variant)
        if found is not None:
            return found
        if _cache().get(lock) is None:
            return cached_response(request, variant=variant)
    return None


def store_response(request, response, *, variant: str = "", body=None, headers=None) -> None:
    """Keep ``response`` (rendered) for ``PRESSCLUB_PAGE_CACHE_SECONDS`` under ``request``'s key
    (with ``variant``, :func:`cache_key`).

    Stored as a tuple ``(generation, path version, expiry in epoch seconds, status, ((header,
    value), ...), body bytes)``: no pickled response object, so a hit is a tuple read and a new
    HttpResponse. The generation and version are those read when the request came in
    (:func:`cached_page`, to be called first), so a page rendered while a purge happened is not
    kept as current. A path never purged nor served before gets its first version here; when
    another process gave it one in between, nothing is kept. ``body`` and ``headers`` replace the
    response's own (a member copy keeps its body cut at its holes, see
    :mod:`pressclub.core.member_pages`).
    """
    if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
        response.render()
    seconds = settings.PRESSCLUB_PAGE_CACHE_SECONDS
    generation, version = getattr(request, "_pressclub_page_versions", (None, None))
    if generation is None:
        generation = page_cache_generation()
    if version is None:
        version = _start_version(version_key(request.path))
        if version is None:
            return
        request._pressclub_page_versions = (generation, version)
    stored = (
        generation,
        version,
        time.time() + seconds,
        response.status_code,
        tuple(response.items()) if headers is None else headers,
        response.content if body is None else body,
    )
    key = cache_key(request, variant)
    _cache().set(key, stored, timeout=seconds)
    _forget_ahead(key)
