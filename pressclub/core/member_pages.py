"""Signed-in members served from a shared copy of the page, with holes for what is theirs.

The anonymous page cache (:mod:`pressclub.core.cache`) keeps one copy of a page per URL, language
and encoding. A signed-in member's page differs from it in a few places only: their name in the
masthead, the CSRF token of the comment form, Edit and Delete on their own comments, the comments
they wrote that wait for moderation, and the "e-mail me replies" checkbox. The rest depends on
the *kind* of reader (a member, a registered reader, a staff member exempt from moderation …),
which decides what the comment section offers. So a member's page is rendered once per URL,
language and kind (stored before compression, so whatever the encoding), with a marker in place of
each hole, and kept beside the anonymous
copy (``cache_key(request, variant="member:<kind>")``), under the same purges. The next member of
that kind gets the copy with their own values put in the holes: the session, then in one cache
round trip (:func:`read_ahead_keys`, ``core.cache.read_ahead``) the page cache's generation, the
path's version, the account's row and standing and the pages where it has comments awaiting
moderation (all renewed whenever they change: no query), the copy itself (in this process's
memory for the hottest pages, else one more read), and string joins.

Five registries connect the feature apps, which core does not import:

- :func:`register_reader_kind`: one function ``kind(user) -> str | None`` (the members app's);
  None sends the request to a full render, as before (staff who see Wagtail's userbar, for one).
- :func:`register_admin_check`: one function ``check(user) -> bool`` (the members app's), asked
  before Wagtail's userbar reads the account's permissions (``{% reader_userbar %}``).
- :func:`register_read_ahead`: ``keys(user_id) -> list[str]``, the cache keys a feature app's part of
  a member's page reads for that account (the members app's row and standing, the comments app's
  pending comments), read with the page's in one round trip.
- :func:`register_hole`: ``fill(request, data, state) -> str`` per hole name. A template tag that
  writes a hole calls :func:`hole`, which returns the real value in an ordinary render and a
  marker (letters and digits only, so no filter changes it) while a shared copy is made; ``data``
  (anything picklable) is kept with the copy and given back to the fill function; ``state`` is a
  dict shared by the fills of one response (for a query made once).
- ``csrf`` and ``name`` holes are core's own: ``{% csrf_token %}`` (through :func:`capture_context`)
  and ``{% member_name %}`` (``core.templatetags.member_tags``).

A copy is made only when nothing else in the render depended on the reader: the template
variable ``user`` is watched (any attribute but ``is_authenticated`` refuses the copy), so is
``perms``; a CSRF token taken outside the holes, a view restriction on the page, a response the
anonymous cache would not keep, or a hole that asks (:meth:`Capture.refuse`) all refuse it too.
Whatever is refused, the response of that request gets its holes filled and is correct.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from . import cache

CAPTURE_ATTR = "_pressclub_member_capture"
_KIND: list[Callable] = []
_ADMIN_CHECK: list[Callable] = []
_FILLS: dict[str, Callable] = {}
_READ_AHEAD: list[Callable] = []
# Headers a copy does not keep: the body's length differs per member (CommonMiddleware sets it).
_DROPPED_HEADERS = {"content-length"}


def register_reader_kind(kind: Callable) -> None:
    """Set the function that names a signed-in user's kind of reader (``kind(user) -> str | None``)."""
    _KIND[:] = [kind]


def register_admin_check(check: Callable) -> None:
    """Set the function that says whether a signed-in user may open Wagtail's admin (``check(user) -> bool``)."""
    _ADMIN_CHECK[:] = [check]


def may_open_admin(user) -> bool:
    """Return False when the registered admin check says ``user`` may not open Wagtail's admin; True
    otherwise (then Wagtail's own permission check decides). False for anonymous users."""
    if user is None or not user.is_authenticated:
        return False
    return _ADMIN_CHECK[0](user) if _ADMIN_CHECK else True


def register_read_ahead(keys: Callable) -> None:
    """Add ``keys(user_id) -> list[str]``: cache keys a member's page reads for account ``user_id``
    (``core.cache.cached_until_purge_keys``), read together with the page's in one round trip."""
    if keys not in _READ_AHEAD:
        _READ_AHEAD.append(keys)


def register_hole(name: str, fill: Callable) -> None:
    """Register ``fill(request, data, state) -> str``, the HTML of hole ``name`` for ``request``'s reader."""
    _FILLS[name] = fill


class Capture:
    """The holes of one render of a shared member copy: markers written, and reasons not to keep it."""

    def __init__(self):
        self.nonce = secrets.token_hex(12)
        self.holes: list[tuple[str, object]] = []
        self.refused: list[str] = []
        self.pattern = re.compile(f"pressclubhole{self.nonce}x([0-9]+)y")

    def marker(self, name: str, data=None) -> SafeString:
        """Return the marker of a new hole ``name`` carrying ``data``."""
        self.holes.append((name, data))
        return mark_safe(f"pressclubhole{self.nonce}x{len(self.holes) - 1}y")

    def refuse(self, reason: str) -> None:
        """Keep no shared copy of this render (``reason`` says why, for tests and debugging)."""
        self.refused.append(reason)

    def segments(self, body: bytes) -> tuple:
        """Return ``body`` cut at its markers: ``(bytes, (name, data), bytes, …, bytes)``."""
        text = body.decode("utf-8")
        parts = self.pattern.split(text)
        out = []
        for i, part in enumerate(parts):
            out.append(part.encode("utf-8") if i % 2 == 0 else self.holes[int(part)])
        return tuple(out)


def capturing(request) -> Capture | None:
    """Return the capture of ``request`` while its shared member copy is rendered, else None."""
    return getattr(request, CAPTURE_ATTR, None)


def hole(request, name: str, html: str, data=None) -> str:
    """Return ``html`` (what this reader sees), or a marker for hole ``name`` while a shared copy is made."""
    capture = capturing(request) if request is not None else None
    return capture.marker(name, data) if capture is not None else html


def member_name_html(user) -> str:
    """Return the masthead's link text for ``user``: their public name, else "Your profile" (escaped)."""
    return escape(getattr(user, "public_name", "") or gettext("Your profile"))


def fill(segments, request) -> bytes:
    """Return the page of ``segments`` (:meth:`Capture.segments`) with ``request``'s reader in its holes.

    The fills of one response share ``state``, which starts as ``{"reader_id": request.user.pk}``
    (the signed-in reader's id, read once: ``request.user`` is a lazy object, slow to ask 200
    times). A fill function may set ``state["skip"]`` to a hole name: the page then continues
    after the next hole of that name (a region the fill replaced whole).
    """
    state: dict = {"reader_id": request.user.pk}
    fills = _FILLS
    out = [segments[0]]
    skip = None
    for i in range(1, len(segments), 2):
        name, data = segments[i]
        if skip is None:
            out.append(fills[name](request, data, state).encode("utf-8"))
            skip = state.pop("skip", None)
        elif name == skip:
            skip = None
        if skip is None:
            out.append(segments[i + 1])
    return b"".join(out)


# --- core's own holes -------------------------------------------------------------------------


def _fill_csrf(request, data, state) -> str:
    if "csrf" not in state:  # one token per page, as the template's lazy csrf_token gives
        state["csrf"] = get_token(request)
    return state["csrf"]


def _fill_name(request, data, state) -> str:
    return member_name_html(request.user)


register_hole("csrf", _fill_csrf)
register_hole("name", _fill_name)


class _WatchedUser:
    """The template variable ``user`` while a shared copy is made: anything but ``is_authenticated`` refuses it."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, user, capture: Capture):
        self._user, self._capture = user, capture

    def __getattr__(self, name):
        self._capture.refuse(f"user.{name}")
        return getattr(self._user, name)

    def __str__(self):
        self._capture.refuse("user")
        return str(self._user)


class _WatchedPerms:
    """The template variable ``perms`` while a shared copy is made: any use refuses it."""

    def __init__(self, capture: Capture):
        self._capture = capture

    def __getitem__(self, name):
        self._capture.refuse("perms")
        return False

    def __contains__(self, name):
        self._capture.refuse("perms")
        return False

    def __iter__(self):
        self._capture.refuse("perms")
        return iter(())


def capture_context(request) -> dict:
    """Context processor: while a shared member copy is made, ``csrf_token`` is a hole and ``user``/``perms`` are watched.

    Returns ``{}`` otherwise. Listed after Django's auth processor (it replaces its values).
    """
    capture = capturing(request)
    if capture is None:
        return {}
    return {
        "csrf_token": capture.marker("csrf"),
        "user": _WatchedUser(request.user, capture),
        "perms": _WatchedPerms(capture),
    }


# --- the middleware -----------------------------------------------------------------------------


def reader_kind(request) -> str | None:
    """Return the kind of reader of ``request`` when a shared member copy may serve it, else None.

    None for a request the page cache is off for, not a GET, without a session cookie, not signed
    in, with messages waiting to be shown, or whose user the registered kind function refuses.
    """
    if not settings.PRESSCLUB_PAGE_CACHE_SECONDS or request.method != "GET" or not _KIND:
        return None
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if len(get_messages(request)):  # counting loads them without marking them shown
        return None
    return _KIND[0](user)


def read_ahead_keys(request) -> list[str]:
    """Return the cache keys a shared member copy for ``request`` reads (:func:`register_read_ahead`),
    or [] when none may serve it (as :func:`reader_kind` decides before it asks for the user).

    The page cache's generation and the path's version come first; the copy itself is not among
    them (its key names the reader's kind, known only from the standing read with them).
    """
    if not settings.PRESSCLUB_PAGE_CACHE_SECONDS or request.method != "GET" or not _KIND:
        return []
    if settings.SESSION_COOKIE_NAME not in request.COOKIES or not hasattr(request, "session"):
        return []
    raw_id = request.session.get(SESSION_KEY)
    if raw_id is None:
        return []
    try:
        user_id = get_user_model()._meta.pk.to_python(raw_id)
    except ValidationError:
        return []
    keys = [cache.GENERATION_KEY, cache.version_key(request.path)]
    for more in _READ_AHEAD:
        keys += more(user_id)
    return keys


def may_be_cached(request, view_func) -> bool:
    """Return True for a view whose responses the page cache may keep: a ``cacheable_view``, or the
    view of the ``wagtail_serve`` URL (the page type decides, through ``CacheablePageMixin``)."""
    if getattr(view_func, "pressclub_cacheable_view", False):
        return True
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "wagtail_serve"


def _page_is_public(response) -> bool:
    # A page under a view restriction may be served to one member and refused to another.
    from .restrictions import is_unrestricted

    page = (getattr(response, "context_data", None) or {}).get("page")
    return page is None or not hasattr(page, "path") or is_unrestricted(page)


class MemberPageMiddleware:
    """Serve signed-in members from a shared copy of the page with their own parts filled in.

    Sits last: the session, the user, messages and the CSRF cookie are known, and the response
    still passes CompressionMiddleware (each member's page is compressed with its own padding,
    as it holds their CSRF token) and CsrfViewMiddleware (which renews the cookie, as on a full
    render). Sets ``X-Page-Cache: member-hit`` or ``member-miss`` (a copy was stored).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The small values a hit reads (the account, its standing, the path's version …) in one
        # round trip; the render of a miss reads afresh.
        with cache.read_ahead(read_ahead_keys(request)):
            kind = reader_kind(request)
            if kind is None:
                stored = None
            else:
                variant = f"member:{kind}"
                stored = cache.cached_page(request, variant=variant)
            if stored is not None:
                response = HttpResponse(fill(stored.body, request), status=stored.status)
                for name, value in stored.headers:
                    response.headers[name] = value
                response["X-Page-Cache"] = "member-hit"
                response.pressclub_member_hit = True  # its policy headers are the settings' (core.security)
                return response
        if kind is None:
            return self.get_response(request)
        request._pressclub_member_variant = variant  # process_view starts the capture for a reader page
        try:
            response = self.get_response(request)
        finally:
            capture = request.__dict__.pop(CAPTURE_ATTR, None)
        if capture is None or response.streaming:
            return response
        segments = capture.segments(response.content) if capture.holes else (response.content,)
        # response_is_cacheable also refuses a page that took a CSRF token outside the holes.
        if (
            not capture.refused
            and cache.response_is_cacheable(request, response)
            and _page_is_public(response)
        ):
            headers = tuple((n, v) for n, v in response.items() if n.lower() not in _DROPPED_HEADERS)
            cache.store_response(request, response, variant=variant, body=segments, headers=headers)
            response["X-Page-Cache"] = "member-miss"
        if capture.holes:
            response.content = fill(segments, request)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Start making a shared copy when the page was not stored and the view may be cached.

        Other views (account pages, forms, the admin) render as they always do, for this member alone.
        """
        if getattr(request, "_pressclub_member_variant", None) and may_be_cached(request, view_func):
            setattr(request, CAPTURE_ATTR, Capture())
        return None
